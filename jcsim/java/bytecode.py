"""The JVM instruction set and the decoding of a Code attribute (JVM spec SE 8 ch. 6).

``decode(code)`` turns bytecode into a list of ``Instruction`` (offset, opcode, operands),
checking every operand against the end of the code and every branch target against the
instruction boundaries, so the interpreter never meets a malformed instruction.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from jcsim.java.classfile import JavaClassError

__all__ = ["NAMES", "Instruction", "decode"]

# name, operand format: "" none, "b" signed byte, "u" unsigned byte (local or cp index),
# "s" signed short, "c" u2 cp index, "j" s2 branch, "J" s4 branch, plus special forms.
_TABLE = """
00 nop; 01 aconst_null; 02 iconst_m1; 03 iconst_0; 04 iconst_1; 05 iconst_2; 06 iconst_3;
07 iconst_4; 08 iconst_5; 09 lconst_0; 0a lconst_1; 0b fconst_0; 0c fconst_1; 0d fconst_2;
0e dconst_0; 0f dconst_1; 10 bipush b; 11 sipush s; 12 ldc u; 13 ldc_w c; 14 ldc2_w c;
15 iload u; 16 lload u; 17 fload u; 18 dload u; 19 aload u;
1a iload_0; 1b iload_1; 1c iload_2; 1d iload_3; 1e lload_0; 1f lload_1; 20 lload_2;
21 lload_3; 22 fload_0; 23 fload_1; 24 fload_2; 25 fload_3; 26 dload_0; 27 dload_1;
28 dload_2; 29 dload_3; 2a aload_0; 2b aload_1; 2c aload_2; 2d aload_3;
2e iaload; 2f laload; 30 faload; 31 daload; 32 aaload; 33 baload; 34 caload; 35 saload;
36 istore u; 37 lstore u; 38 fstore u; 39 dstore u; 3a astore u;
3b istore_0; 3c istore_1; 3d istore_2; 3e istore_3; 3f lstore_0; 40 lstore_1; 41 lstore_2;
42 lstore_3; 43 fstore_0; 44 fstore_1; 45 fstore_2; 46 fstore_3; 47 dstore_0; 48 dstore_1;
49 dstore_2; 4a dstore_3; 4b astore_0; 4c astore_1; 4d astore_2; 4e astore_3;
4f iastore; 50 lastore; 51 fastore; 52 dastore; 53 aastore; 54 bastore; 55 castore;
56 sastore; 57 pop; 58 pop2; 59 dup; 5a dup_x1; 5b dup_x2; 5c dup2; 5d dup2_x1; 5e dup2_x2;
5f swap; 60 iadd; 61 ladd; 62 fadd; 63 dadd; 64 isub; 65 lsub; 66 fsub; 67 dsub; 68 imul;
69 lmul; 6a fmul; 6b dmul; 6c idiv; 6d ldiv; 6e fdiv; 6f ddiv; 70 irem; 71 lrem; 72 frem;
73 drem; 74 ineg; 75 lneg; 76 fneg; 77 dneg; 78 ishl; 79 lshl; 7a ishr; 7b lshr; 7c iushr;
7d lushr; 7e iand; 7f land; 80 ior; 81 lor; 82 ixor; 83 lxor; 84 iinc iinc;
85 i2l; 86 i2f; 87 i2d; 88 l2i; 89 l2f; 8a l2d; 8b f2i; 8c f2l; 8d f2d; 8e d2i; 8f d2l;
90 d2f; 91 i2b; 92 i2c; 93 i2s; 94 lcmp; 95 fcmpl; 96 fcmpg; 97 dcmpl; 98 dcmpg;
99 ifeq j; 9a ifne j; 9b iflt j; 9c ifge j; 9d ifgt j; 9e ifle j; 9f if_icmpeq j;
a0 if_icmpne j; a1 if_icmplt j; a2 if_icmpge j; a3 if_icmpgt j; a4 if_icmple j;
a5 if_acmpeq j; a6 if_acmpne j; a7 goto j; a8 jsr j; a9 ret u; aa tableswitch table;
ab lookupswitch lookup; ac ireturn; ad lreturn; ae freturn; af dreturn; b0 areturn;
b1 return; b2 getstatic c; b3 putstatic c; b4 getfield c; b5 putfield c;
b6 invokevirtual c; b7 invokespecial c; b8 invokestatic c; b9 invokeinterface iface;
ba invokedynamic indy; bb new c; bc newarray u; bd anewarray c; be arraylength; bf athrow;
c0 checkcast c; c1 instanceof c; c2 monitorenter; c3 monitorexit; c4 wide wide;
c5 multianewarray multi; c6 ifnull j; c7 ifnonnull j; c8 goto_w J; c9 jsr_w J
"""

NAMES: dict[int, str] = {}
_FORMATS: dict[int, str] = {}
for _item in _TABLE.replace("\n", " ").split(";"):
    _parts = _item.split()
    if _parts:
        NAMES[int(_parts[0], 16)] = _parts[1]
        _FORMATS[int(_parts[0], 16)] = _parts[2] if len(_parts) > 2 else ""

OP = {name: code for code, name in NAMES.items()}
BRANCHES = frozenset(code for code, form in _FORMATS.items() if form in ("j", "J"))


class Instruction(NamedTuple):
    offset: int
    opcode: int
    operands: tuple[Any, ...]


def _s1(b: int) -> int:
    return b - 256 if b > 127 else b


def _s2(code: bytes, at: int) -> int:
    return int.from_bytes(code[at:at + 2], "big", signed=True)


def _s4(code: bytes, at: int) -> int:
    return int.from_bytes(code[at:at + 4], "big", signed=True)


def decode(code: bytes, where: str = "") -> list[Instruction]:
    """Decode ``code``; branch operands become absolute target offsets."""
    out: list[Instruction] = []
    length = len(code)
    pc = 0

    def fail(message: str) -> JavaClassError:
        return JavaClassError(message, class_name=where, offset=pc)

    def need(count: int) -> None:
        if pc + count > length:
            raise fail("instruction runs past the end of the code")

    while pc < length:
        opcode = code[pc]
        form = _FORMATS.get(opcode)
        if form is None:
            raise fail(f"undefined opcode 0x{opcode:02X}")
        if form == "":
            operands: tuple[Any, ...] = ()
            size = 1
        elif form == "b":
            need(2)
            operands, size = (_s1(code[pc + 1]),), 2
        elif form == "u":
            need(2)
            operands, size = (code[pc + 1],), 2
        elif form == "s":
            need(3)
            operands, size = (_s2(code, pc + 1),), 3
        elif form == "c":
            need(3)
            operands, size = ((code[pc + 1] << 8) | code[pc + 2],), 3
        elif form == "j":
            need(3)
            operands, size = (pc + _s2(code, pc + 1),), 3
        elif form == "J":
            need(5)
            operands, size = (pc + _s4(code, pc + 1),), 5
        elif form == "iinc":
            need(3)
            operands, size = (code[pc + 1], _s1(code[pc + 2])), 3
        elif form in ("iface", "indy"):
            need(5)
            operands, size = ((code[pc + 1] << 8) | code[pc + 2], code[pc + 3]), 5
        elif form == "multi":
            need(4)
            operands, size = ((code[pc + 1] << 8) | code[pc + 2], code[pc + 3]), 4
        elif form == "wide":
            need(4)
            inner = code[pc + 1]
            index = (code[pc + 2] << 8) | code[pc + 3]
            if inner == OP["iinc"]:
                need(6)
                out.append(Instruction(pc, inner, (index, _s2(code, pc + 4))))
                pc += 6
                continue
            if _FORMATS.get(inner) != "u" or inner == OP["ldc"]:
                raise fail(f"wide cannot modify opcode 0x{inner:02X}")
            out.append(Instruction(pc, inner, (index,)))
            pc += 4
            continue
        elif form == "table":
            base = (pc + 4) & ~3
            need(base - pc + 12)
            default, low, high = _s4(code, base), _s4(code, base + 4), _s4(code, base + 8)
            count = high - low + 1
            if count < 1 or count > 65536:
                raise fail(f"tableswitch with {count} entries")
            need(base - pc + 12 + 4 * count)
            table = tuple(pc + _s4(code, base + 12 + 4 * i) for i in range(count))
            operands, size = (pc + default, low, table), base - pc + 12 + 4 * count
        elif form == "lookup":
            base = (pc + 4) & ~3
            need(base - pc + 8)
            default, count = _s4(code, base), _s4(code, base + 4)
            if count < 0 or count > 65536:
                raise fail(f"lookupswitch with {count} pairs")
            need(base - pc + 8 + 8 * count)
            pairs = {_s4(code, base + 8 + 8 * i): pc + _s4(code, base + 12 + 8 * i)
                     for i in range(count)}
            operands, size = (pc + default, pairs), base - pc + 8 + 8 * count
        else:  # pragma: no cover - the table has no other forms
            raise fail(f"unknown operand form {form}")
        need(size)
        out.append(Instruction(pc, opcode, operands))
        pc += size
    starts = {insn.offset for insn in out}
    for insn in out:
        targets: list[int] = []
        if insn.opcode in BRANCHES:
            targets = [insn.operands[0]]
        elif insn.opcode == OP["tableswitch"]:
            targets = [insn.operands[0], *insn.operands[2]]
        elif insn.opcode == OP["lookupswitch"]:
            targets = [insn.operands[0], *insn.operands[1].values()]
        for target in targets:
            if target not in starts:
                raise JavaClassError(f"branch to {target}, which is not an instruction",
                                     class_name=where, offset=insn.offset)
    return out
