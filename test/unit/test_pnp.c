/* rom/bios/pnp.c's names: what each boot-menu entry says about its disk. */
#include <string.h>

#include "test.h"
#include "bios/pnp.h"

static const char *vdev_name(uint32_t vdev)
{
    static char buf[PNP_NAME_MAX];

    pnp_vdev_name(buf, sizeof(buf), vdev);
    return buf;
}

static const char *size_text(uint64_t bytes)
{
    static char buf[PNP_NAME_MAX];

    pnp_size_text(buf, sizeof(buf), bytes);
    return buf;
}

static const char *kind(const char *path)
{
    static char buf[PNP_NAME_MAX];

    pnp_backend_kind(buf, sizeof(buf), path);
    return buf;
}

static void test_pnp_vdev_names(void)
{
    CHECK_STR(vdev_name(768), "hda");
    CHECK_STR(vdev_name(832), "hdb");
    CHECK_STR(vdev_name(5632), "hdc");
    CHECK_STR(vdev_name(5696), "hdd");
    CHECK_STR(vdev_name(51712), "xvda");
    CHECK_STR(vdev_name(51728), "xvdb");
    CHECK_STR(vdev_name(51776), "xvde");
    CHECK_STR(vdev_name(51713), "xvda1");
    CHECK_STR(vdev_name(2048), "sda");
    CHECK_STR(vdev_name(2064), "sdb");
    CHECK_STR(vdev_name(1u << 28 | 26u << 8), "xvdaa");
    CHECK_STR(vdev_name(1u << 28 | 701u << 8), "xvdzz");
    CHECK_STR(vdev_name(1u << 28 | 702u << 8 | 3), "xvdaaa3");
    CHECK_STR(vdev_name(1u << 28 | 0xfffffu << 8 | 255), "xvdbgqcv255");
    CHECK_STR(vdev_name(0x12345), "vbd 74565");     /* not a Linux name */
    CHECK_STR(vdev_name(0xffffffffu), "vbd 4294967295");
    CHECK_STR(vdev_name(7u << 8), "vbd 1792");      /* major 7: loop */
}

static void test_pnp_sizes(void)
{
    CHECK_STR(size_text(0), "0 bytes");
    CHECK_STR(size_text(1023), "1023 bytes");
    CHECK_STR(size_text(4u << 20), "4 MiB");
    CHECK_STR(size_text(16u << 20), "16 MiB");
    CHECK_STR(size_text(20ull << 30), "20 GiB");
    CHECK_STR(size_text(3ull << 29), "1.5 GiB");
    CHECK_STR(size_text((2ull << 30) - 1), "1.9 GiB");      /* cut, not 2.0 */
    CHECK_STR(size_text(100ull << 30 | 700u << 20), "100 GiB");
    CHECK_STR(size_text(4ull << 40), "4 TiB");
    CHECK_STR(size_text(~0ull), "15 EiB");
}

static void test_pnp_backend_kinds(void)
{
    CHECK_STR(kind("/local/domain/0/backend/qdisk/5/768"), "qdisk");
    CHECK_STR(kind("/local/domain/0/backend/vbd/5/51712"), "blkback");
    CHECK_STR(kind("/local/domain/3/backend/vbd3/5/51712"), "vbd3");
    CHECK_STR(kind("/local/domain/0/backend/Q!/5/768"), "unknown");
    CHECK_STR(kind(""), "unknown");
    CHECK_STR(kind("backend/qdisk/1/2"), "unknown");        /* not absolute */
    CHECK_STR(kind("/x/backend/averyveryverylongtype/1"), "averyver");
}

static void test_pnp_product_name(void)
{
    struct vbd v;
    struct bdisk d;
    char name[PNP_NAME_MAX];

    memset(&v, 0, sizeof(v));
    memset(&d, 0, sizeof(d));
    d.vbd = &v;
    v.vdev = 51728;
    strcpy(v.backend, "/local/domain/0/backend/qdisk/7/51728");
    d.blocks = 20ull << 21;
    d.block_shift = 9;
    pnp_product_name(name, sizeof(name), &d);
    CHECK_STR(name, "Xen PV disk xvdb 20 GiB (qdisk)");
    /* 4 KiB sectors: the size is bytes, not sectors */
    v.vdev = 768;
    strcpy(v.backend, "/local/domain/0/backend/vbd/7/768");
    v.readonly = 1;
    d.blocks = 1u << 18;
    d.block_shift = 12;
    pnp_product_name(name, sizeof(name), &d);
    CHECK_STR(name, "Xen PV disk hda 1 GiB (blkback, ro)");
    /* the longest every field can make still fits, NUL included */
    v.vdev = 1u << 28 | 0xfffffu << 8 | 255;
    strcpy(v.backend, "/x/backend/abcdefghijklmnop/1");
    d.blocks = ~0ull >> 12;
    pnp_product_name(name, sizeof(name), &d);
    CHECK_STR(name, "Xen PV disk xvdbgqcv255 15 EiB (abcdefgh, ro)");
    CHECK(strlen(name) < PNP_NAME_MAX);
}

const struct test pnp_tests[] = {
    { "test_pnp_vdev_names", test_pnp_vdev_names },
    { "test_pnp_sizes", test_pnp_sizes },
    { "test_pnp_backend_kinds", test_pnp_backend_kinds },
    { "test_pnp_product_name", test_pnp_product_name },
};
const unsigned int pnp_tests_count = sizeof(pnp_tests) / sizeof(pnp_tests[0]);
