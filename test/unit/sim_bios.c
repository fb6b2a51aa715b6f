/* The BIOS around the ROM, for the host tests of rom/main.c and rom/bcv.c:
 * the PCI bus (rom/platform.h's port I/O, one device: the Xen platform
 * device) and SeaBIOS's INT 13h handler as stub_call16() reaches it
 * (AH=48h with an EDD 3.0 ATA device path, AH=02h of sector 0). */
#include <assert.h>
#include <string.h>

#include "sim.h"
#include "arch/platform.h"
#include "bios/stub.h"

struct sim_bios_drive sim_bios_drives[4];
uint16_t sim_bios_last_flags;
unsigned int sim_bios_nr_drives, sim_bios_calls;
struct sim_bios_cd sim_bios_cds[2];
unsigned int sim_bios_nr_cds;

/* ---- PCI ------------------------------------------------------------ */

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define SIM_BAR1_SIZE (SIM_BAR_PAGES * 4096u)

static uint32_t pci_addr;
static uint32_t pci_command = 0x0003;
static uint32_t pci_bar1;           /* as the guest last wrote it */

void sim_bios_reset(void)
{
    memset(sim_bios_drives, 0, sizeof(sim_bios_drives));
    sim_bios_nr_drives = 0;
    memset(sim_bios_cds, 0, sizeof(sim_bios_cds));
    sim_bios_nr_cds = 0;
    sim_bios_calls = 0;
    pci_bar1 = (uint32_t)(uintptr_t)sim_bar;
    pci_command = 0x0003;
}

static uint32_t *pci_reg(uint8_t reg)
{
    switch (reg) {
    case 0x04: return &pci_command;
    case 0x14: return &pci_bar1;
    }
    return NULL;
}

void platform_outl(uint16_t port, uint32_t value)
{
    uint32_t *r;

    if (port == PCI_ADDR) {
        pci_addr = value;
        return;
    }
    assert(port == PCI_DATA && (pci_addr & 0x80000000u));
    if (((pci_addr >> 8) & 0xffff) != SIM_PCI_BDF)
        return;
    r = pci_reg(pci_addr & 0xfc);
    if (!r)
        return;
    if (r == &pci_bar1)     /* a 16 KiB memory BAR: low bits read as 0 */
        value &= ~(SIM_BAR1_SIZE - 1);
    *r = value;
}

uint32_t platform_inl(uint16_t port)
{
    uint32_t *r;

    assert(port == PCI_DATA && (pci_addr & 0x80000000u));
    if (((pci_addr >> 8) & 0xffff) != SIM_PCI_BDF)
        return 0xffffffffu;             /* no device */
    switch (pci_addr & 0xfc) {
    case 0x00: return 0x00015853u;      /* 5853:0001 */
    case 0x08: return 0xff800001u;      /* class ff8000, rev 1 */
    case 0x10: return 0x0000c001u;      /* BAR0: I/O */
    }
    r = pci_reg(pci_addr & 0xfc);
    return r ? *r : 0;
}

/* ---- SeaBIOS's INT 13h ------------------------------------------------ */

static struct sim_bios_drive *bios_drive(uint8_t dl)
{
    unsigned int n = dl - 0x80u;

    return dl >= 0x80 && n < sim_bios_nr_drives ? &sim_bios_drives[n] : NULL;
}

/* The EDD 3.0 answer SeaBIOS 1.16 gives for an ATA disk on PCI IDE 00:01.1
 * (src/block.c fill_generic_edd): to a 74-byte buffer the T13 form with the
 * channel in interface path byte 3, to a 66-byte one the Phoenix form
 * without it; the size word says 30 either way. */
static void bios_edd(struct sim_bios_drive *d, uint8_t *p)
{
    int t13 = p[0] == 74;

    if (p[0] < 66)
        return;
    memset(p + 2, 0, (size_t)(t13 ? 72 : 64));
    p[0] = 30;                          /* SeaBIOS leaves 30 here */
    p[30] = 0xdd;
    p[31] = 0xbe;
    p[32] = t13 ? 44 : 36;              /* device path information length */
    memcpy(p + 36, "PCI ", 4);
    memcpy(p + 40, "ATA     ", 8);
    p[48] = 0;                          /* bus, dev, fn, channel (T13 only) */
    p[49] = 1;
    p[50] = 1;
    p[51] = t13 ? (uint8_t)(d->ide_index / 2) : 0;
    p[56] = (uint8_t)(d->ide_index & 1);
}

/* SeaBIOS's DPTE, in its low segment */
#define SIM_DPTE_FLAT 0xe0100u

/* AH=48h for an ATAPI CD as SeaBIOS answers it: 26 bytes, then the DPTE
 * pointer; its 66-byte device path masks the PCI channel out. */
static void bios_cd_edd(struct sim_bios_cd *cd, uint8_t *p)
{
    uint8_t *dpte = phys_to_virt(SIM_DPTE_FLAT);
    uint16_t iobase = cd->ide_index / 2 ? 0x170 : 0x1f0, opt = 0x70, bps = 2048;
    uint16_t size;

    memcpy(&size, p, 2);
    memset(p + 2, 0xff, 20);
    p[0] = 26;
    p[2] = 0x74;
    p[3] = 0;
    memcpy(p + 24, &bps, 2);
    if (size < 30)
        return;
    p[0] = 30;
    p[26] = SIM_DPTE_FLAT & 15;
    p[27] = 0;
    p[28] = (uint8_t)(SIM_DPTE_FLAT >> 4);
    p[29] = (uint8_t)(SIM_DPTE_FLAT >> 12);
    memset(dpte, 0, 16);
    memcpy(dpte, &iobase, 2);
    dpte[4] = (cd->ide_index & 1) ? 0xf0 : 0xe0;
    if (cd->not_atapi)
        opt = 0x10;
    memcpy(dpte + 10, &opt, 2);
}

static uint16_t bios_cd_call(struct sim_bios_cd *cd, struct stub_frame *regs,
                             uint16_t flags)
{
    uint8_t *dap = phys_to_virt((uint32_t)regs->ds * 16 + regs->si);
    uint16_t count, off, seg;
    uint32_t lba;

    if (regs->ah == 0x48) {
        bios_cd_edd(cd, dap);
        regs->ah = 0;
        return flags;
    }
    if (regs->ah != 0x42)
        goto bad;
    memcpy(&count, dap + 2, 2);
    memcpy(&off, dap + 4, 2);
    memcpy(&seg, dap + 6, 2);
    memcpy(&lba, dap + 8, 4);
    if (lba >= cd->sectors || count > cd->sectors - lba) {
        regs->ah = 0x0c;                /* SeaBIOS's answer to an ATAPI error */
        return flags | FLAG_CF;
    }
    memcpy(phys_to_virt((uint32_t)seg * 16 + off), cd->data + lba * 2048,
           count * 2048u);
    regs->ah = 0;
    return flags;
bad:
    regs->ah = 0x01;
    return flags | FLAG_CF;
}

uint16_t stub_call16(const struct stub_info *info, struct stub_frame *regs,
                     uint32_t target, uint16_t flags,
                     const struct stub_frame *frame)
{
    struct sim_bios_drive *d = bios_drive(regs->dl);

    (void)info;
    (void)frame;
    assert(target == SIM_BIOS_INT13);
    sim_bios_calls++;
    sim_bios_last_flags = flags;
    flags &= ~FLAG_CF;
    if (regs->dl >= 0xe0 && regs->dl - 0xe0u < sim_bios_nr_cds)
        return bios_cd_call(&sim_bios_cds[regs->dl - 0xe0], regs, flags);
    if (!d) {
        regs->ah = 0x01;
        return flags | FLAG_CF;
    }
    if (regs->ah == 0x48) {
        bios_edd(d, phys_to_virt((uint32_t)regs->ds * 16 + regs->si));
        regs->ah = 0;
        return flags;
    }
    if (regs->ah == 0x08) {             /* DL: the hard disks it counts */
        regs->dl = (uint8_t)sim_bios_nr_drives;
        regs->ah = 0;
        return flags;
    }
    if (regs->ax == 0x0201 && regs->cx == 0x0001 && regs->dh == 0) {
        memcpy(phys_to_virt((uint32_t)regs->es * 16 + regs->bx), d->sector0, 512);
        regs->ah = 0;
        return flags;
    }
    regs->ah = 0x01;
    return flags | FLAG_CF;
}
