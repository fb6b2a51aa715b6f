/* The test-noxen build's entries (rom/noxen.c). */
#ifndef XENPVBOOT_NOXEN_H
#define XENPVBOOT_NOXEN_H

#include "stub.h"

void noxen_bcv(struct stub_frame *f, struct stub_info *stub);
void noxen_int13(struct stub_frame *f, struct stub_info *stub);

#endif
