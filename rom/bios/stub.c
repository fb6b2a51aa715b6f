/* C side of the stub contract (rom/bios/stub.h). */
#include "arch/platform.h"
#include "bios/stub.h"

uint16_t stub_call16(const struct stub_info *info, struct stub_frame *regs,
                     uint32_t target, uint16_t flags,
                     const struct stub_frame *frame)
{
    uint32_t stack = virt_to_phys(frame) - STUB_BELOW_FRAME, ret;

    /* call16 preserves every register but %eax; the pushes are its cdecl
     * arguments, popped here. */
    __asm__ __volatile__("pushl %[stack]\n\t"
                         "pushl %[flags]\n\t"
                         "pushl %[target]\n\t"
                         "pushl %[regs]\n\t"
                         "lcall *(%[ptr])\n\t"
                         "addl $16, %%esp"
                         : "=a"(ret)
                         : [regs] "r"(regs), [target] "r"(target),
                           [flags] "r"((uint32_t)flags), [stack] "r"(stack),
                           [ptr] "r"(&info->call16_off)
                         : "memory", "cc");
    return (uint16_t)ret;
}
