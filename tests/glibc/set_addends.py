#!/usr/bin/env python3
"""set_addends.py FILE ADDEND: give every R_X86_64_GLOB_DAT and R_X86_64_JUMP_SLOT relocation of an ELF file
the addend ADDEND (as binutils' -z mark-plt does with the PLT entry's address). Prints how many it changed;
fails if none."""
import struct
import sys

path, addend = sys.argv[1], int(sys.argv[2], 0)
data = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum = struct.unpack_from('<HH', data, 0x3a)
changed = 0
for i in range(shnum):
    sh_type, = struct.unpack_from('<I', data, shoff + i * shentsize + 4)
    off, size, _, _, _, entsize = struct.unpack_from('<QQIIQQ', data, shoff + i * shentsize + 0x18)
    if sh_type != 4 or entsize != 24:  # SHT_RELA
        continue
    for r in range(off, off + size, 24):
        info, = struct.unpack_from('<Q', data, r + 8)
        if info & 0xffffffff in (6, 7):  # GLOB_DAT, JUMP_SLOT
            struct.pack_into('<q', data, r + 16, addend)
            changed += 1
if not changed:
    sys.exit('set_addends.py: %s: no GLOB_DAT or JUMP_SLOT relocation' % path)
open(path, 'wb').write(data)
print('%s: %d addends set to %#x' % (path, changed, addend))
