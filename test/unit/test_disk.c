/* The drive behind test_disk.h. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "test_disk.h"
#include "xen/hypervisor.h"
#include "xen/xenbus.h"
#include "bios/int13.h"
#include "bios/rommem.h"

struct sim_vbd *td_backend;
struct vbd td_vbd[1];
__typeof__(td_call) td_call;

uint8_t *td_low(uint32_t flat)
{
    return phys_to_virt(flat);
}

int td_connect_vbds(struct vbd *v, struct sim_vbd **b, unsigned int n,
                    unsigned int indirect)
{
    static const uint32_t ids[SIM_MAX_VBD] = { 768, 832, 5632 };

    sim_reset();
    log_capture_len = 0;
    log_capture[0] = '\0';
    memset(v, 0, BLKFRONT_MAX_VBD * sizeof(*v));
    nr_bdisks = 0;
    pv_set_bar((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u);
    if (n > SIM_MAX_VBD || xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        return -1;
    for (unsigned int i = 0; i < n; i++) {
        b[i] = sim_add_vbd(ids[i], SIM_DISK_SECTORS, XenbusStateInitWait);
        b[i]->max_indirect = indirect;
    }
    if (blkfront_probe(v, BLKFRONT_MAX_VBD) != (int)n)
        return -1;
    for (unsigned int i = 0; i < n; i++)
        if (blkfront_connect(&v[i]))
            return -1;
    return 0;
}

int td_setup(uint32_t sector_size, uint32_t sectors)
{
    struct bdisk *d = &bdisks[0];

    sim_reset();
    memset(td_low(0), 0, REAL_MODE_LIMIT);
    *td_low(BDA_HDCOUNT) = 1;
    if (xen_init((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u))
        return -1;
    pv_set_bar((uint32_t)(uintptr_t)sim_bar, SIM_BAR_PAGES * 4096u);
    td_backend = sim_add_vbd(768, sectors, XenbusStateInitWait);
    td_backend->sector_size = sector_size;
    memset(td_vbd, 0, sizeof(td_vbd));
    if (blkfront_probe(td_vbd, 1) != 1 || blkfront_connect(td_vbd))
        return -1;
    memset(d, 0, sizeof(*d));
    d->vbd = td_vbd;
    d->drive = 0x80;
    disk_set_format(d, td_vbd);
    memcpy(d->block0, td_backend->disk, 1u << d->block_shift);
    d->block0_valid = 1;
    geometry_choose(&d->chs, d->block0, d->blocks);
    nr_bdisks = 1;
    return 0;
}

void td_done(void)
{
    pv_down();
    nr_bdisks = 0;
    rommem_set(ROMMEM_IMAGE, 0, 0);
    rommem_set(ROMMEM_STUB, 0, 0);
}

int td_int13(uint16_t ax, uint16_t cx, uint16_t dx, uint16_t seg, uint16_t off)
{
    memset(&td_call, 0, sizeof(td_call));
    td_call.f.ax = ax;
    td_call.f.cx = cx;
    td_call.f.dx = dx;
    td_call.f.es = td_call.f.ds = seg;
    td_call.f.bx = td_call.f.si = off;
    td_call.r.flags = 0x0202;
    return int13_service(&td_call.f, &td_call.r, 0x0010);
}

int td_cf(void)
{
    return td_call.r.flags & FLAG_CF;
}

void td_dap(uint8_t size, uint16_t count, uint16_t seg, uint16_t off,
            uint64_t lba, uint64_t flat)
{
    uint8_t *p = td_low(TD_DAP_SEG * 16);

    memset(p, 0, 24);
    p[0] = size;
    memcpy(p + 2, &count, 2);
    memcpy(p + 4, &off, 2);
    memcpy(p + 6, &seg, 2);
    memcpy(p + 8, &lba, 8);
    memcpy(p + 16, &flat, 8);
}

uint16_t td_dap_count(void)
{
    uint16_t n;

    memcpy(&n, td_low(TD_DAP_SEG * 16 + 2), 2);
    return n;
}

int td_in_child(int (*fn)(void))
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(fn());
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void (*child_test)(void);

static int child_test_run(void)
{
    child_test();
    fflush(stdout);
    return test_failed_now;
}

int td_test_in_child(void (*fn)(void))
{
    child_test = fn;
    return td_in_child(child_test_run);
}
