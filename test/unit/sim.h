/* A simulated Xen, xenstored and blkback behind rom/arch/platform.h, for the
 * host unit tests.  Single-threaded: the peers run one step whenever the
 * code under test sleeps in SCHEDOP_poll, and simulated time advances
 * there too (to the poll's deadline when nothing happened), so every
 * bounded wait in rom/ finishes in microseconds of real time. */
#ifndef SIM_H
#define SIM_H

#include "xen/xen.h"

#define SIM_DOMID      7
#define SIM_STORE_PORT 1
#define SIM_BAR_PAGES  4
#define SIM_MAX_VBD    3
#define SIM_DISK_SECTORS 2048

extern uint8_t sim_bar[SIM_BAR_PAGES * 4096];

enum sim_xs_fault {
    XSF_NONE,
    XSF_ERROR,          /* next reply: XS_ERROR "EACCES" */
    XSF_OVERSIZE,       /* next reply: 3000-byte payload */
    XSF_GARBLED,        /* next reply: header claims 5000 bytes */
    XSF_STRAY,          /* next reply preceded by one with a wrong req_id */
    XSF_SILENT,         /* xenstored stops answering */
    XSF_RAW,            /* next reply: the bytes of sim_xs_raw_reply() */
};

enum sim_bk_fault {
    BKF_NONE,
    BKF_NEVER_CONNECT,  /* stays InitWait whatever the frontend does */
    BKF_STATUS_ERROR,   /* answers every request BLKIF_RSP_ERROR */
    BKF_CLOSE_MIDREQ,   /* on a request: goes Closing, never answers */
    BKF_WRONG_ID,       /* answers with id + 1 */
    BKF_HOLD_GRANT,     /* keeps the data pages mapped until Closed */
    BKF_RSP_FLOOD,      /* rsp_prod jumps far past what was asked */
    BKF_RAW,            /* answers with the bytes of sim_bk_raw_responses() */
    BKF_HOLD_RING,      /* keeps every ring it mapped mapped, even once Closed,
                           until sim_release_rings() */
    BKF_IGNORE_CLOSE,   /* stays Connected whatever the frontend says */
};

struct sim_vbd {
    int present;
    uint32_t id;
    int cdrom;
    int state;                  /* backend xenbus state */
    enum sim_bk_fault fault;
    uint32_t sector_size;
    uint64_t sectors;
    int readonly, flush;
    uint8_t *disk;
    /* connection */
    blkif_back_ring_t ring;
    grant_ref_t ring_ref;
    evtchn_port_t port;
    int mapped;
    grant_ref_t held[64];       /* BKF_HOLD_GRANT: every page of a batch */
    unsigned int nheld;
    /* batches: answer the requests found on the ring last first (qdisk
     * completes them as its I/O does, in any order) */
    int reverse;
    /* answer one request per step (the guest's poll), as a backend whose
     * I/Os complete one after the other */
    int slow;
    /* answer request number @fail_req (1-based, as counted in requests)
     * BLKIF_RSP_ERROR, its data untouched; 0: none */
    unsigned int fail_req;
    /* feature-max-indirect-segments offered (0: none, as qdisk); what the
     * last indirect request's page was granted as, and how many came */
    unsigned int max_indirect;
    int indirect_ro;
    unsigned int indirect_reqs;
    /* request number @stall_at (1-based) and every one after it is taken
     * off the ring and not answered (until sim_answer_stalled()); 0: none */
    unsigned int stall_at;
    blkif_request_t stalled[32];
    unsigned int nstalled;
    /* request number @bad_id_req is answered with id + 1000, @bad_op_req
     * with the wrong operation, @dup_req twice (1-based; 0: none) */
    unsigned int bad_id_req, bad_op_req, dup_req;
    /* events: the frontend's notifies, ours to it on the ring's port */
    unsigned int kicks, events;
    /* what we saw */
    unsigned int requests, max_segs, flushes, bad_grants;
    int last_write_ro;          /* write segments were granted read-only */
    /* fuzzing: called when the backend has written its connect keys
     * (sectors, sector-size, info, ...), to write others over them */
    void (*on_connect)(struct sim_vbd *b);
    /* the granted pages of the last request, as the backend found them
     * before it touched them: everything a backend could read */
    uint8_t seen[32][4096];
    unsigned int nseen;
    grant_ref_t held_rings[64];
    unsigned int nheld_rings;
};

struct sim {
    int no_xen;
    uint64_t now;               /* ns; the TSC runs at 1 GHz */
    uint32_t msr;
    uint64_t msr_value;
    struct shared_info *shinfo;
    struct grant_entry_v1 *gnttab;
    uint32_t shinfo_gfn, gnttab_gfn;   /* 0 = not in the physmap */
    unsigned int physmap_adds, physmap_removes;
    uint32_t gnttab_version;
    /* event channels: port -> remote domain, open */
    struct { int open; domid_t remote; } ports[64];
    unsigned int polls;
    unsigned int hypercalls;    /* trips into Xen: a multicall is one */
    int no_multicall;           /* HYPERVISOR_multicall refused (-ENOSYS) */
    uint64_t callback_via;      /* HVM_PARAM_CALLBACK_IRQ: set by an OS */
    enum sim_xs_fault xs_fault;
    unsigned int xs_requests;
    struct sim_vbd vbd[SIM_MAX_VBD];
};

extern struct sim sim;

void sim_reset(void);

/* Fuzzing: the next xenstore reply is @data (its header's req_id and type
 * patched to the request's when @match), delivered as the guest drains. */
void sim_xs_raw_reply(const uint8_t *data, size_t len, int match);

/* Fuzzing: a BKF_RAW backend answers its next request by copying @data
 * over its response ring (from rsp_prod) and advancing rsp_prod by
 * @advance, whatever the request was. */
void sim_bk_raw_responses(const uint8_t *data, size_t len, uint32_t advance);
/* Adds a vbd with @id whose backend starts in @state. */
struct sim_vbd *sim_add_vbd(uint32_t id, uint32_t sectors, int state);
/* The toolstack's forced removal (xl block-detach after its timeout): the
 * backend lets go of everything and both directories are deleted. */
void sim_remove_vbd(struct sim_vbd *b);
/* xl block-detach as libxl does it: online 0 and state Closing written into
 * the backend's directory, while the backend (like blkback and qdisk) goes
 * on serving a connected frontend until that closes. */
void sim_detach_vbd(struct sim_vbd *b);
/* The backend runs once, as it does while the guest sleeps in a poll:
 * what a loader's time between two calls gives it. */
void sim_step(void);
/* A backend that stalled (stall_at) answers what it took off the ring,
 * late: after the frontend gave up on it. */
void sim_answer_stalled(struct sim_vbd *b);
/* A BKF_HOLD_RING backend finally unmaps the rings it kept. */
void sim_release_rings(struct sim_vbd *b);

/* ---- the BIOS around the ROM (test/unit/sim_bios.c) ------------------ */

/* The Xen platform device as SeaBIOS set it up: 00:02.0, BAR1 = sim_bar. */
#define SIM_PCI_BDF    0x0010
/* The previous INT 13h handler (SeaBIOS's), which stub_call16() reaches. */
#define SIM_BIOS_INT13 0xf000e3feu

/* An emulated disk SeaBIOS offers as BIOS drive 0x80 + n: its IDE index
 * (channel * 2 + slave) in its EDD device path and its sector 0. */
struct sim_bios_drive {
    int ide_index;
    const uint8_t *sector0;
};

/* An emulated ATAPI CD SeaBIOS numbers E0h + n: its IDE index in its DPTE
 * (io base 1F0h/170h, slave bit) and its 2048-byte sectors (none: no media). */
struct sim_bios_cd {
    int ide_index;
    int not_atapi;              /* its DPTE says ATA, not ATAPI */
    const uint8_t *data;
    uint32_t sectors;
};

extern struct sim_bios_cd sim_bios_cds[2];
extern unsigned int sim_bios_nr_cds;

/* Emulated drives 80h.. the previous handler knows (40:75 is the test's). */
extern struct sim_bios_drive sim_bios_drives[4];
extern unsigned int sim_bios_nr_drives, sim_bios_calls;
extern uint16_t sim_bios_last_flags;   /* the FLAGS image its last call started with */
void sim_bios_reset(void);

const char *sim_xs_get(const char *path);   /* NULL if absent */
void sim_xs_set(const char *path, const char *value);
int sim_xs_exists(const char *path);
int sim_front_state(uint32_t id);
int sim_xs_ring_quiescent(void);
uint32_t sim_xs_rsp_unread(void);           /* rsp_prod - rsp_cons */
unsigned int sim_open_ports(void);

/* The log, captured by test/unit/host_log.c. */
extern char log_capture[16384];
extern size_t log_capture_len;

#endif
