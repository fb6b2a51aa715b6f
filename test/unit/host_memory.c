/* Low memory for rom/arch/platform.h's host seam (IVT, BDA, real-mode buffers). */
#include "arch/platform.h"

static uint8_t low_memory[HOST_LOW_MEMORY];
uint8_t *host_real_mode_memory = low_memory;
