/* One $PnP header per PV disk, written at init.
 *
 * SeaBIOS turns every header of a ROM's $PnP chain that has a BCV into one
 * boot-list entry named by its product name, sorted with its hard disks,
 * and lists them in its boot menu; choosing one moves it to the head of
 * the list, so its BCV runs before any other disk is numbered and that disk
 * becomes drive 80h.  The headers are written while the ROM is still
 * writable shadow RAM, inside the part init keeps (rom/bios/entry.S,
 * pnp_table), so the chain SeaBIOS walks after init is ours. */
#include "bios/pnp.h"
#include "lib/libc.h"
#include "lib/log.h"
#include "xen/hypervisor.h"

#define PNP_NEXT      6
#define PNP_LENGTH    5
#define PNP_CHECKSUM  9
#define PNP_PRODUCT   0x10
#define PNP_BCV       0x16

_Static_assert(STUB_PNP_SLOTS >= MAX_BDISKS, "a $PnP slot per disk");

/* Appends @s to @buf (@len bytes, NUL-terminated), cutting it to fit. */
static void text_add(char *buf, size_t len, const char *s)
{
    size_t at = strlen(buf);

    while (*s && at + 1 < len)
        buf[at++] = *s++;
    buf[at] = '\0';
}

static void text_add_uint(char *buf, size_t len, uint32_t v)
{
    char digits[11];
    int i = sizeof(digits) - 1;

    digits[i] = '\0';
    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    text_add(buf, len, digits + i);
}

/* Linux's disk letters: a-z, then aa-zz, aaa...; @idx < 2^20. */
static void text_add_letters(char *buf, size_t len, uint32_t idx)
{
    char letters[8];
    int i = sizeof(letters) - 1;

    letters[i] = '\0';
    for (;;) {
        letters[--i] = (char)('a' + idx % 26);
        if (idx < 26 || i == 0)
            break;
        idx = idx / 26 - 1;
    }
    text_add(buf, len, letters + i);
}

void pnp_vdev_name(char *buf, size_t len, uint32_t vdev)
{
    uint32_t major = vdev >> 8 & 0xff, minor = vdev & 0xff, disk, part;
    const char *prefix;

    buf[0] = '\0';
    if (vdev >> 28 == 1 && !(vdev >> 29)) {         /* extended xvd */
        prefix = "xvd";
        disk = vdev >> 8 & 0xfffff;
        part = minor;
    } else if (vdev >> 16) {
        prefix = NULL;
    } else if (major == 202) {
        prefix = "xvd";
        disk = minor >> 4;
        part = minor & 15;
    } else if (major == 8) {
        prefix = "sd";
        disk = minor >> 4;
        part = minor & 15;
    } else if (major == 3 || major == 22) {
        prefix = "hd";
        disk = (major == 22) * 2 + (minor >> 6);
        part = minor & 63;
    } else {
        prefix = NULL;
    }
    if (!prefix) {
        text_add(buf, len, "vbd ");
        text_add_uint(buf, len, vdev);
        return;
    }
    text_add(buf, len, prefix);
    text_add_letters(buf, len, disk);
    if (part)
        text_add_uint(buf, len, part);
}

void pnp_size_text(char *buf, size_t len, uint64_t bytes)
{
    static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    unsigned int u = 0;
    uint64_t whole = bytes, tenths;

    while (whole >= 1024 && u + 1 < ARRAY_SIZE(units)) {
        whole >>= 10;
        u++;
    }
    buf[0] = '\0';
    text_add_uint(buf, len, (uint32_t)whole);
    if (u && whole < 10) {
        tenths = (bytes >> (10 * (u - 1))) % 1024 * 10 / 1024;
        if (tenths) {
            text_add(buf, len, ".");
            text_add_uint(buf, len, (uint32_t)tenths);
        }
    }
    text_add(buf, len, " ");
    text_add(buf, len, units[u]);
}

void pnp_backend_kind(char *buf, size_t len, const char *path)
{
    const char *p = path, *at = NULL;
    char kind[9];
    size_t n = 0;

    while ((p = strchr(p, '/')) != NULL)
        if (!strncmp(++p, "backend/", 8))
            at = p + 8;
    while (at && n + 1 < sizeof(kind) &&
           ((at[n] >= 'a' && at[n] <= 'z') || (at[n] >= '0' && at[n] <= '9')))
        n++;
    memcpy(kind, at ? at : "", n);
    kind[n] = '\0';
    buf[0] = '\0';
    if (!strcmp(kind, "vbd"))
        text_add(buf, len, "blkback");
    else
        text_add(buf, len, n ? kind : "unknown");
}

void pnp_product_name(char *buf, size_t len, const struct bdisk *d)
{
    char part[24];

    buf[0] = '\0';
    text_add(buf, len, "Xen PV disk ");
    pnp_vdev_name(part, sizeof(part), d->vbd->vdev);
    text_add(buf, len, part);
    text_add(buf, len, " ");
    pnp_size_text(part, sizeof(part), d->blocks << d->block_shift);
    text_add(buf, len, part);
    text_add(buf, len, " (");
    pnp_backend_kind(part, sizeof(part), d->vbd->backend);
    text_add(buf, len, part);
    if (d->vbd->readonly)
        text_add(buf, len, ", ro");
    text_add(buf, len, ")");
}

static uint8_t *pnp_slot(const struct stub_info *stub, int k)
{
    return phys_to_virt(stub->rom_seg * 16u + stub->pnp_table +
                        (uint32_t)k * STUB_PNP_SLOT);
}

static void pnp_checksum(uint8_t *h)
{
    uint8_t sum = 0;
    unsigned int i;

    h[PNP_CHECKSUM] = 0;
    for (i = 0; i < h[PNP_LENGTH] * 16u; i++)
        sum += h[i];
    h[PNP_CHECKSUM] = (uint8_t)-sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* A header as entry.S lays the slots out: our product name field, a BCV,
 * 32 bytes long. */
static int pnp_slot_ok(const struct stub_info *stub, int k)
{
    const uint8_t *h = pnp_slot(stub, k);
    uint16_t off = (uint16_t)(stub->pnp_table + k * STUB_PNP_SLOT);

    return !memcmp(h, "$PnP", 4) && h[PNP_LENGTH] == STUB_PNP_NAME / 16 &&
           get16(h + PNP_PRODUCT) == off + STUB_PNP_NAME && get16(h + PNP_BCV);
}

int pnp_headers_write(struct stub_info *stub, const struct bdisk *disks, int n)
{
    uint8_t *h;
    int k;

    if (n > STUB_PNP_SLOTS)
        n = STUB_PNP_SLOTS;
    for (k = 0; k < n && pnp_slot_ok(stub, k); k++) {
        h = pnp_slot(stub, k);
        pnp_product_name((char *)h + STUB_PNP_NAME, PNP_NAME_MAX, &disks[k]);
        put16(h + PNP_NEXT, 0);
        if (k)
            put16(pnp_slot(stub, k - 1) + PNP_NEXT,
                  (uint16_t)(stub->pnp_table + k * STUB_PNP_SLOT));
        log(LOG_INFO, "boot entry %d: %s", k + 1, (char *)h + STUB_PNP_NAME);
    }
    if (k < n)
        log(LOG_ERR, "$PnP slot %d is not ours: %d of %d disks get a boot entry",
            k, k, n);
    for (n = 0; n < k; n++)
        pnp_checksum(pnp_slot(stub, n));
    return k;
}
