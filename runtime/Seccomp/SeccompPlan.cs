using OciRuntime.Spec;

namespace Runcs.Seccomp;

/// <summary>
/// The OCI seccomp section turned into libseccomp terms: actions, architectures,
/// flags and rules. Pure: unit-tested without loading anything. Syscall names are
/// resolved later, by libseccomp, at load time.
/// </summary>
public sealed class SeccompPlan
{
    public const uint ActKillProcess = 0x80000000, ActKillThread = 0x00000000, ActTrap = 0x00030000,
        ActErrno = 0x00050000, ActTrace = 0x7ff00000, ActLog = 0x7ffc0000, ActAllow = 0x7fff0000, ActNotify = 0x7fc00000;
    public const int EPERM = 1;

    public sealed record Condition(uint Index, int Op, ulong Value, ulong ValueTwo);
    public sealed record Rule(string Syscall, uint Action, IReadOnlyList<Condition> Conditions);

    public uint DefaultAction { get; init; }
    public List<string> Architectures { get; } = new();
    public List<Rule> Rules { get; } = new();
    public bool Log { get; init; }
    public bool SpecAllow { get; init; }
    public bool WaitKillableRecv { get; init; }
    public bool UsesNotify { get; init; }

    public static readonly IReadOnlyList<string> KnownFlags = new[]
    {
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    };

    public static readonly IReadOnlyList<string> KnownActions = new[]
    {
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    };

    public static readonly IReadOnlyList<string> KnownOperators = new[]
    {
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    };

    public static readonly IReadOnlyList<string> KnownArchs = new[]
    {
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
        "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64",
    };

    public static uint Action(string? name, uint? errnoRet, string path)
    {
        return name switch
        {
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => ActKillThread,
            "SCMP_ACT_KILL_PROCESS" => ActKillProcess,
            "SCMP_ACT_TRAP" => ActTrap,
            "SCMP_ACT_ERRNO" => ActErrno | ((errnoRet ?? EPERM) & 0xffff),
            "SCMP_ACT_TRACE" => ActTrace | ((errnoRet ?? EPERM) & 0xffff),
            "SCMP_ACT_ALLOW" => ActAllow,
            "SCMP_ACT_LOG" => ActLog,
            "SCMP_ACT_NOTIFY" => ActNotify,
            _ => throw new SpecException($"{path}: unknown seccomp action '{name}'", path),
        };
    }

    public static int Operator(string? name, string path) => name switch
    {
        "SCMP_CMP_NE" => 1, "SCMP_CMP_LT" => 2, "SCMP_CMP_LE" => 3, "SCMP_CMP_EQ" => 4,
        "SCMP_CMP_GE" => 5, "SCMP_CMP_GT" => 6, "SCMP_CMP_MASKED_EQ" => 7,
        _ => throw new SpecException($"{path}: unknown seccomp operator '{name}'", path),
    };

    /// <summary>"SCMP_ARCH_X86_64" → "x86_64", the name libseccomp resolves.</summary>
    public static string ArchName(string oci, string path)
    {
        if (!KnownArchs.Contains(oci)) throw new SpecException($"{path}: unknown seccomp architecture '{oci}'", path);
        return oci["SCMP_ARCH_".Length..].ToLowerInvariant();
    }

    /// <summary>
    /// Syscalls the runtime itself makes between loading a filter and handing its listener
    /// fd to the parent: notifying them would block the container process forever (no agent
    /// has the fd yet). runc refuses write (its sync message); runcs sends the fd with sendmsg.
    /// </summary>
    public static readonly IReadOnlyList<string> NeverNotified = new[] { "write", "sendmsg" };

    /// <summary>
    /// SCMP_ACT_NOTIFY rules, as runc checks them: never the default action, never a syscall of
    /// <see cref="NeverNotified"/>, and a listenerPath to send the fd to (runc finds that out only
    /// after init loaded the filter; runcs before it creates anything). A listenerPath without
    /// any NOTIFY rule is ignored, as with runc.
    /// </summary>
    private static void CheckNotify(LinuxSeccomp s)
    {
        if (s.DefaultAction == "SCMP_ACT_NOTIFY")
            throw new SpecException("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action", "linux.seccomp.defaultAction");
        var syscalls = s.Syscalls ?? new List<LinuxSyscall>();
        bool used = false;
        for (int i = 0; i < syscalls.Count; i++)
        {
            if (syscalls[i].Action != "SCMP_ACT_NOTIFY") continue;
            var names = syscalls[i].Names ?? new List<string>();
            for (int j = 0; j < names.Count; j++)
            {
                used = true;
                if (NeverNotified.Contains(names[j]))
                    throw new SpecException($"linux.seccomp.syscalls[{i}].names[{j}]: SCMP_ACT_NOTIFY cannot be used for the {names[j]} syscall" +
                        (names[j] == "sendmsg" ? " (the container process hands the listener fd to the runtime with it)" : ""),
                        $"linux.seccomp.syscalls[{i}].names[{j}]");
            }
        }
        if (used && string.IsNullOrEmpty(s.ListenerPath))
            throw new SpecException("linux.seccomp.listenerPath: must be set when SCMP_ACT_NOTIFY is used (the agent socket that receives the listener fd)", "linux.seccomp.listenerPath");
    }

    public static SeccompPlan Build(LinuxSeccomp s)
    {
        var flags = s.Flags ?? new List<string>();
        for (int i = 0; i < flags.Count; i++)
            if (!KnownFlags.Contains(flags[i])) throw new SpecException($"linux.seccomp.flags[{i}]: unknown flag '{flags[i]}'", $"linux.seccomp.flags[{i}]");
        uint def = Action(s.DefaultAction, s.DefaultErrnoRet, "linux.seccomp.defaultAction");
        var plan = new SeccompPlan
        {
            DefaultAction = def,
            Log = flags.Contains("SECCOMP_FILTER_FLAG_LOG"),
            SpecAllow = flags.Contains("SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
            WaitKillableRecv = flags.Contains("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
            UsesNotify = s.Syscalls?.Any(x => x.Action == "SCMP_ACT_NOTIFY" && x.Names is { Count: > 0 }) ?? false,
        };
        CheckNotify(s);
        var archs = s.Architectures ?? new List<string>();
        for (int i = 0; i < archs.Count; i++) plan.Architectures.Add(ArchName(archs[i], $"linux.seccomp.architectures[{i}]"));

        var syscalls = s.Syscalls ?? new List<LinuxSyscall>();
        for (int i = 0; i < syscalls.Count; i++)
        {
            var sc = syscalls[i];
            string path = $"linux.seccomp.syscalls[{i}]";
            uint action = Action(sc.Action, sc.ErrnoRet, path + ".action");
            // A rule whose action is the default adds nothing (and libseccomp refuses it).
            if (action == def) continue;
            var conds = new List<Condition>();
            var args = sc.Args ?? new List<LinuxSeccompArg>();
            for (int j = 0; j < args.Count; j++)
            {
                var a = args[j];
                if (a.Index > 5) throw new SpecException($"{path}.args[{j}].index: must be 0..5, not {a.Index}", $"{path}.args[{j}].index");
                conds.Add(new Condition((uint)a.Index, Operator(a.Op, $"{path}.args[{j}].op"), a.Value, a.ValueTwo ?? 0));
            }
            foreach (var name in sc.Names ?? new List<string>())
            {
                // runc: when any argument has several conditions, every condition is its own rule
                // ("any of them"); otherwise one rule holds them all ("all of them").
                bool sameIndex = conds.GroupBy(c => c.Index).Any(g => g.Count() > 1);
                if (sameIndex) foreach (var c in conds) plan.Rules.Add(new Rule(name, action, new[] { c }));
                else plan.Rules.Add(new Rule(name, action, conds));
            }
        }
        return plan;
    }
}
