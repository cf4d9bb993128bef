using Runcs.Native;

namespace Runcs.Cgroups;

/// <summary>
/// cgroup v2 has no devices.allow/deny: the kernel runs a BPF_PROG_TYPE_CGROUP_DEVICE program
/// on every open and mknod of a device node and lets it through only when the program returns 1.
/// This builds that program from the effective rule list (<see cref="DeviceCgroupRule.Effective"/>).
/// Pure: it returns the instructions (struct bpf_insn, 8 bytes each); <see cref="DeviceFilter"/> loads them.
///
/// What the program decides, as cgroup v1 and runc do:
/// <list type="bullet">
/// <item>rules apply in order and the last one that matches decides; no match is a deny;</item>
/// <item>type 'a' is every device with every access: "allow a" makes everything allowed that a
///   later rule does not deny, "deny a" starts over from deny-all;</item>
/// <item>access is decided per kind: a request (the kernel asks read and write at once for an
///   O_RDWR open) passes only when, for each kind it asks, the last matching rule that names
///   the kind allows it. So "allow c 1:3 rw" then "allow c 1:3 m" allow all three, "allow c 1:3
///   rwm" then "deny c 1:3 w" leave read and mknod, and a rule "rw" says nothing about mknod.</item>
/// </list>
/// Where runc (its cgroup v1 emulator) refuses a deny that cuts into an earlier wildcard allow
/// ("allow c *:* rwm" then "deny c 1:3 w"), the program honours the deny.
///
/// Layout: load the context (struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; },
/// access_type = access &lt;&lt; 16 | type) into r2 (type), r3 (access), r4 (major), r5 (minor); then
/// one block per access kind that is skipped when the kind is not asked, holding the rules that
/// name the kind from last to first (the first one that matches: allow → next block, deny →
/// return 0), ending in deny; after the last block, return 1.
/// </summary>
public static class DeviceFilterProgram
{
    // include/uapi/linux/bpf.h
    public const int BPF_DEVCG_ACC_MKNOD = 1, BPF_DEVCG_ACC_READ = 2, BPF_DEVCG_ACC_WRITE = 4;
    public const int BPF_DEVCG_DEV_BLOCK = 1, BPF_DEVCG_DEV_CHAR = 2;

    // Opcodes: class | op | source (include/uapi/linux/bpf_common.h, bpf.h).
    public const byte LDX_MEM_W = 0x61;        // BPF_LDX | BPF_MEM | BPF_W
    public const byte ALU32_AND_K = 0x54;      // BPF_ALU | BPF_AND | BPF_K
    public const byte ALU32_RSH_K = 0x74;      // BPF_ALU | BPF_RSH | BPF_K
    public const byte ALU32_MOV_K = 0xb4;      // BPF_ALU | BPF_MOV | BPF_K
    public const byte ALU32_MOV_X = 0xbc;      // BPF_ALU | BPF_MOV | BPF_X
    public const byte JMP_JA = 0x05;           // BPF_JMP | BPF_JA
    public const byte JMP_JEQ_K = 0x15;        // BPF_JMP | BPF_JEQ | BPF_K
    public const byte JMP_JNE_K = 0x55;        // BPF_JMP | BPF_JNE | BPF_K
    public const byte JMP_JNE_X = 0x5d;        // BPF_JMP | BPF_JNE | BPF_X
    public const byte JMP_EXIT = 0x95;         // BPF_JMP | BPF_EXIT

    /// <summary>The kinds in block order, with the rule letter of each.</summary>
    private static readonly (int Bit, char Letter)[] Kinds =
        { (BPF_DEVCG_ACC_READ, 'r'), (BPF_DEVCG_ACC_WRITE, 'w'), (BPF_DEVCG_ACC_MKNOD, 'm') };

    /// <summary>The program for these rules (in config order), as bytes for BPF_PROG_LOAD.</summary>
    public static byte[] Build(IReadOnlyList<DeviceCgroupRule> rules)
    {
        var a = new Assembler();
        a.Emit(LDX_MEM_W, 2, 1, 0, 0);              // r2 = ctx->access_type
        a.Emit(ALU32_AND_K, 2, 0, 0, 0xFFFF);       // w2 &= 0xffff: device type
        a.Emit(LDX_MEM_W, 3, 1, 0, 0);              // r3 = ctx->access_type
        a.Emit(ALU32_RSH_K, 3, 0, 0, 16);           // w3 >>= 16: access asked
        a.Emit(LDX_MEM_W, 4, 1, 4, 0);              // r4 = ctx->major
        a.Emit(LDX_MEM_W, 5, 1, 8, 0);              // r5 = ctx->minor
        foreach (var (bit, letter) in Kinds)
        {
            int nextKind = a.NewLabel();
            a.Emit(ALU32_MOV_X, 1, 3, 0, 0);        // w1 = w3 (r1, the context, is not needed any more)
            a.Emit(ALU32_AND_K, 1, 0, 0, bit);      // w1 &= kind
            a.Jump(JMP_JEQ_K, 1, 0, nextKind);      // not asked: next kind
            bool decided = false;                   // an unconditional rule ends the block (the verifier refuses dead code)
            for (int i = rules.Count - 1; i >= 0 && !decided; i--)
            {
                var r = rules[i];
                if (r.Type != 'a' && !r.Access.Contains(letter)) continue;
                int nextRule = a.NewLabel();
                bool conditional = false;
                if (r.Type != 'a')
                {
                    a.Jump(JMP_JNE_K, 2, r.Type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, nextRule);
                    conditional = true;
                    if (r.Major >= 0) { CompareOrSkip(a, 4, r.Major, nextRule); }
                    if (r.Minor >= 0) { CompareOrSkip(a, 5, r.Minor, nextRule); }
                }
                if (r.Allow) a.Jump(JMP_JA, 0, 0, nextKind);
                else Return(a, 0);
                a.Mark(nextRule);
                decided = !conditional;
            }
            if (!decided) Return(a, 0);             // no rule matched: deny
            a.Mark(nextKind);
        }
        Return(a, 1);
        return a.Assemble();
    }

    private static void CompareOrSkip(Assembler a, byte reg, long value, int skip)
    {
        if (value <= int.MaxValue) { a.Jump(JMP_JNE_K, reg, (int)value, skip); return; }
        // A jump's immediate is sign-extended to 64 bits, the loaded u32 is not: compare registers.
        a.Emit(ALU32_MOV_K, 1, 0, 0, unchecked((int)(uint)value));
        a.JumpReg(JMP_JNE_X, reg, 1, skip);
    }

    private static void Return(Assembler a, int value)
    {
        a.Emit(ALU32_MOV_K, 0, 0, 0, value);
        a.Emit(JMP_EXIT, 0, 0, 0, 0);
    }

    /// <summary>Instructions with forward jumps to labels, resolved at the end.</summary>
    private sealed class Assembler
    {
        private readonly List<(byte Code, byte Dst, byte Src, short Off, int Imm, int Label)> _insns = new();
        private readonly List<int> _labels = new();

        public int NewLabel() { _labels.Add(-1); return _labels.Count - 1; }
        public void Mark(int label) => _labels[label] = _insns.Count;
        public void Emit(byte code, byte dst, byte src, short off, int imm) => _insns.Add((code, dst, src, off, imm, -1));
        public void Jump(byte code, byte dst, int imm, int label) => _insns.Add((code, dst, 0, 0, imm, label));
        public void JumpReg(byte code, byte dst, byte src, int label) => _insns.Add((code, dst, src, 0, 0, label));

        public byte[] Assemble()
        {
            var bytes = new byte[_insns.Count * 8];
            for (int i = 0; i < _insns.Count; i++)
            {
                var (code, dst, src, off, imm, label) = _insns[i];
                if (label >= 0)
                {
                    int delta = _labels[label] - (i + 1);
                    if (delta > short.MaxValue)
                        throw new RuncsException("linux.resources.devices: too many rules for one eBPF program");
                    off = (short)delta;
                }
                var b = bytes.AsSpan(i * 8, 8);
                b[0] = code;
                b[1] = (byte)(dst | src << 4);
                System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(b[2..], off);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b[4..], imm);
            }
            return bytes;
        }
    }
}
