using System.Buffers.Binary;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// A small eBPF interpreter for the device programs: runs the encoded instructions on a
/// struct bpf_cgroup_dev_ctx and returns R0. It refuses what the kernel's verifier refuses
/// and these programs could plausibly get wrong: an instruction no path reaches, a backward or
/// out-of-range jump, a register read before it is written, a context read other than an
/// aligned u32 of the 12-byte context, a return value other than 0 or 1, an unknown opcode.
/// </summary>
public static class BpfInterpreter
{
    public readonly record struct Insn(byte Code, int Dst, int Src, short Off, int Imm);

    public static Insn[] Decode(byte[] prog)
    {
        if (prog.Length == 0 || prog.Length % 8 != 0) throw new InvalidDataException($"program of {prog.Length} bytes");
        var insns = new Insn[prog.Length / 8];
        for (int i = 0; i < insns.Length; i++)
        {
            var b = prog.AsSpan(i * 8, 8);
            insns[i] = new Insn(b[0], b[1] & 0xF, b[1] >> 4, BinaryPrimitives.ReadInt16LittleEndian(b[2..]), BinaryPrimitives.ReadInt32LittleEndian(b[4..]));
        }
        return insns;
    }

    private const ulong CtxPointer = 0xC0DE_0000_0000;

    private static int Class(byte code) => code & 0x07;
    private static bool IsJump(byte code) => Class(code) is 0x05 or 0x06;
    private static int Op(byte code) => code & 0xF0;

    /// <summary>The static checks (the verifier's check_cfg and more): throws on the first problem.</summary>
    public static void Check(Insn[] insns)
    {
        var reached = new bool[insns.Length];
        var todo = new Stack<int>();
        todo.Push(0);
        while (todo.Count > 0)
        {
            int pc = todo.Pop();
            if (pc < 0 || pc >= insns.Length) throw new InvalidDataException($"control reaches {pc}, outside the program");
            if (reached[pc]) continue;
            reached[pc] = true;
            var i = insns[pc];
            if (i.Dst > 10 || i.Src > 10) throw new InvalidDataException($"insn {pc}: register out of range");
            if (IsJump(i.Code))
            {
                if (Op(i.Code) == 0x90) continue; // exit
                if (Op(i.Code) == 0x80) throw new InvalidDataException($"insn {pc}: helper calls are not expected here");
                if (i.Off < 0) throw new InvalidDataException($"insn {pc}: backward jump");
                todo.Push(pc + 1 + i.Off);
                if (Op(i.Code) != 0x00) todo.Push(pc + 1); // conditional: both ways
            }
            else todo.Push(pc + 1);
        }
        int dead = Array.IndexOf(reached, false);
        if (dead >= 0) throw new InvalidDataException($"unreachable insn {dead}");
    }

    /// <summary>Runs the program for one device access; returns R0 (1 allows, 0 denies).</summary>
    public static int Run(byte[] prog, int type, int access, uint major, uint minor)
    {
        var insns = Decode(prog);
        Check(insns);
        uint[] ctx = { (uint)(access << 16 | type), major, minor };
        var r = new ulong[11];
        var set = new bool[11];
        r[1] = CtxPointer; set[1] = true;
        r[10] = 0; set[10] = true;
        ulong Get(int reg, int pc) => set[reg] ? r[reg] : throw new InvalidDataException($"insn {pc}: r{reg} read before it is written");
        for (int pc = 0, steps = 0; ; pc++, steps++)
        {
            if (steps > 1_000_000) throw new InvalidDataException("runaway program");
            var i = insns[pc];
            int cls = Class(i.Code);
            bool x = (i.Code & 0x08) != 0;
            switch (cls)
            {
                case 0x01: // LDX
                {
                    if ((i.Code & 0xE0) != 0x60) throw new InvalidDataException($"insn {pc}: LDX mode {i.Code:x2}");
                    if ((i.Code & 0x18) != 0x00) throw new InvalidDataException($"insn {pc}: context read of a size other than u32");
                    if (Get(i.Src, pc) != CtxPointer) throw new InvalidDataException($"insn {pc}: load through r{i.Src}, which is not the context");
                    if (i.Off is not (0 or 4 or 8)) throw new InvalidDataException($"insn {pc}: context offset {i.Off}");
                    r[i.Dst] = ctx[i.Off / 4]; set[i.Dst] = true;
                    break;
                }
                case 0x04: // ALU (32 bits, result zero-extended)
                case 0x07: // ALU64
                {
                    bool wide = cls == 0x07;
                    ulong src = x ? Get(i.Src, pc) : (ulong)(long)i.Imm;
                    ulong dst = Op(i.Code) == 0xB0 ? 0 : Get(i.Dst, pc);
                    if (!wide) { src = (uint)src; dst = (uint)dst; }
                    int shiftMask = wide ? 63 : 31;
                    ulong v = Op(i.Code) switch
                    {
                        0x00 => dst + src,
                        0x10 => dst - src,
                        0x40 => dst | src,
                        0x50 => dst & src,
                        0x60 => dst << (int)(src & (ulong)shiftMask),
                        0x70 => dst >> (int)(src & (ulong)shiftMask),
                        0xA0 => dst ^ src,
                        0xB0 => src,
                        _ => throw new InvalidDataException($"insn {pc}: ALU op {i.Code:x2}"),
                    };
                    r[i.Dst] = wide ? v : (uint)v; set[i.Dst] = true;
                    break;
                }
                case 0x05: // JMP (64-bit compares; the immediate is sign-extended)
                case 0x06: // JMP32
                {
                    int op = Op(i.Code);
                    if (op == 0x90)
                    {
                        var rv = Get(0, pc);
                        if (rv > 1) throw new InvalidDataException($"insn {pc}: returns {rv}, a device program returns 0 or 1");
                        return (int)rv;
                    }
                    if (op == 0x00) { pc += i.Off; break; }
                    ulong a = Get(i.Dst, pc), b = x ? Get(i.Src, pc) : (ulong)(long)i.Imm;
                    if (cls == 0x06) { a = (uint)a; b = (uint)b; }
                    bool jump = op switch
                    {
                        0x10 => a == b,
                        0x20 => a > b,
                        0x30 => a >= b,
                        0x40 => (a & b) != 0,
                        0x50 => a != b,
                        0xA0 => a < b,
                        0xB0 => a <= b,
                        _ => throw new InvalidDataException($"insn {pc}: JMP op {i.Code:x2}"),
                    };
                    if (jump) pc += i.Off;
                    break;
                }
                default:
                    throw new InvalidDataException($"insn {pc}: opcode {i.Code:x2}");
            }
        }
    }
}
