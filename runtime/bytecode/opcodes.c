/* opcodes.c — the instruction table expanded from the IMHE_OPCODES list of opcodes.h.
 * The compiler's stack accounting, the verifier, the disassembler and the docs read it. */
#include "runtime/bytecode/opcodes.h"

const struct imhe_opinfo imhe_ops[OP__COUNT] = {
#define OP(name, kind, pops, pushes, syn) {#name, OK_##kind, pops, pushes, syn},
    IMHE_OPCODES(OP)
#undef OP
};
