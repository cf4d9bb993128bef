using System.Runtime.Versioning;
using OciRuntime.Spec;
using Runcs.Seccomp;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>linux.seccomp → libseccomp terms, as runc's libcontainer/seccomp (config.go, seccomp_linux.go) builds them.</summary>
[SupportedOSPlatform("linux")]
public class SeccompPlanTests
{
    private const string P = "linux.seccomp.syscalls[0].action";

    // ---- actions (libseccomp's SCMP_ACT_* values) ----

    [Theory]
    [InlineData("SCMP_ACT_KILL", 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_THREAD", 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_PROCESS", 0x80000000u)]
    [InlineData("SCMP_ACT_TRAP", 0x00030000u)]
    [InlineData("SCMP_ACT_ERRNO", 0x00050001u)]
    [InlineData("SCMP_ACT_TRACE", 0x7ff00001u)]
    [InlineData("SCMP_ACT_ALLOW", 0x7fff0000u)]
    [InlineData("SCMP_ACT_LOG", 0x7ffc0000u)]
    [InlineData("SCMP_ACT_NOTIFY", 0x7fc00000u)]
    public void ActionValues(string name, uint value)
    {
        Assert.Equal(value, SeccompPlan.Action(name, null, P));
    }

    [Fact]
    public void ActionConstantsAreLibseccomps()
    {
        Assert.Equal(0x80000000u, SeccompPlan.ActKillProcess);
        Assert.Equal(0x00000000u, SeccompPlan.ActKillThread);
        Assert.Equal(0x00030000u, SeccompPlan.ActTrap);
        Assert.Equal(0x00050000u, SeccompPlan.ActErrno);
        Assert.Equal(0x7ff00000u, SeccompPlan.ActTrace);
        Assert.Equal(0x7ffc0000u, SeccompPlan.ActLog);
        Assert.Equal(0x7fff0000u, SeccompPlan.ActAllow);
        Assert.Equal(0x7fc00000u, SeccompPlan.ActNotify);
        Assert.Equal(1, SeccompPlan.EPERM);
    }

    [Theory]
    [InlineData("SCMP_ACT_ERRNO", 38u, 0x00050026u)]  // ENOSYS
    [InlineData("SCMP_ACT_ERRNO", 0u, 0x00050000u)]
    [InlineData("SCMP_ACT_ERRNO", 1u, 0x00050001u)]
    [InlineData("SCMP_ACT_ERRNO", 0x10005u, 0x00050005u)] // the data field is 16 bits
    [InlineData("SCMP_ACT_TRACE", 5u, 0x7ff00005u)]
    [InlineData("SCMP_ACT_TRACE", 0xffffu, 0x7ff0ffffu)]
    public void ErrnoRetGoesInTheDataField(string name, uint errnoRet, uint value)
    {
        Assert.Equal(value, SeccompPlan.Action(name, errnoRet, P));
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL", 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_PROCESS", 0x80000000u)]
    [InlineData("SCMP_ACT_TRAP", 0x00030000u)]
    [InlineData("SCMP_ACT_ALLOW", 0x7fff0000u)]
    [InlineData("SCMP_ACT_LOG", 0x7ffc0000u)]
    [InlineData("SCMP_ACT_NOTIFY", 0x7fc00000u)]
    public void ErrnoRetIsIgnoredByOtherActions(string name, uint value)
    {
        Assert.Equal(value, SeccompPlan.Action(name, 22, P));
    }

    [Theory]
    [InlineData("SCMP_ACT_BOGUS")]
    [InlineData("scmp_act_allow")]
    [InlineData("ALLOW")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownActionNamesThePath(string? name)
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Action(name, null, "linux.seccomp.syscalls[3].action"));
        Assert.Equal("linux.seccomp.syscalls[3].action", e.Path);
        Assert.StartsWith("linux.seccomp.syscalls[3].action: ", e.Message);
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void EveryKnownActionResolves()
    {
        // runc's libcontainer/seccomp/config.go `actions`.
        Assert.Equal(new[]
        {
            "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
            "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
        }, SeccompPlan.KnownActions.Order(StringComparer.Ordinal));
        foreach (var a in SeccompPlan.KnownActions) SeccompPlan.Action(a, null, P);
    }

    // ---- operators (libseccomp's enum scmp_compare) ----

    [Theory]
    [InlineData("SCMP_CMP_NE", 1)]
    [InlineData("SCMP_CMP_LT", 2)]
    [InlineData("SCMP_CMP_LE", 3)]
    [InlineData("SCMP_CMP_EQ", 4)]
    [InlineData("SCMP_CMP_GE", 5)]
    [InlineData("SCMP_CMP_GT", 6)]
    [InlineData("SCMP_CMP_MASKED_EQ", 7)]
    public void OperatorValues(string name, int value)
    {
        Assert.Equal(value, SeccompPlan.Operator(name, "x"));
        Assert.Contains(name, SeccompPlan.KnownOperators);
    }

    [Fact]
    public void SevenKnownOperators()
    {
        Assert.Equal(7, SeccompPlan.KnownOperators.Count);
        Assert.Equal(7, SeccompPlan.KnownOperators.Select(o => SeccompPlan.Operator(o, "x")).Distinct().Count());
    }

    [Theory]
    [InlineData("SCMP_CMP_MASKED")]
    [InlineData("scmp_cmp_eq")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownOperatorNamesThePath(string? name)
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Operator(name, "linux.seccomp.syscalls[1].args[2].op"));
        Assert.Equal("linux.seccomp.syscalls[1].args[2].op", e.Path);
        Assert.StartsWith("linux.seccomp.syscalls[1].args[2].op: ", e.Message);
    }

    // ---- architectures (the names seccomp_arch_resolve_name takes) ----

    [Theory]
    [InlineData("SCMP_ARCH_X86", "x86")]
    [InlineData("SCMP_ARCH_X86_64", "x86_64")]
    [InlineData("SCMP_ARCH_X32", "x32")]
    [InlineData("SCMP_ARCH_ARM", "arm")]
    [InlineData("SCMP_ARCH_AARCH64", "aarch64")]
    [InlineData("SCMP_ARCH_MIPS", "mips")]
    [InlineData("SCMP_ARCH_MIPS64", "mips64")]
    [InlineData("SCMP_ARCH_MIPS64N32", "mips64n32")]
    [InlineData("SCMP_ARCH_MIPSEL", "mipsel")]
    [InlineData("SCMP_ARCH_MIPSEL64", "mipsel64")]
    [InlineData("SCMP_ARCH_MIPSEL64N32", "mipsel64n32")]
    [InlineData("SCMP_ARCH_PPC", "ppc")]
    [InlineData("SCMP_ARCH_PPC64", "ppc64")]
    [InlineData("SCMP_ARCH_PPC64LE", "ppc64le")]
    [InlineData("SCMP_ARCH_S390", "s390")]
    [InlineData("SCMP_ARCH_S390X", "s390x")]
    [InlineData("SCMP_ARCH_RISCV64", "riscv64")]
    public void ArchNames(string oci, string libseccomp)
    {
        Assert.Equal(libseccomp, SeccompPlan.ArchName(oci, "x"));
    }

    [Fact]
    public void EveryKnownArchIsTested()
    {
        var tested = typeof(SeccompPlanTests).GetMethod(nameof(ArchNames))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet();
        Assert.Equal(SeccompPlan.KnownArchs.ToHashSet(), tested);
    }

    [Theory]
    [InlineData("SCMP_ARCH_AMD64")]
    [InlineData("x86_64")]
    [InlineData("SCMP_ARCH_x86_64")]
    [InlineData("SCMP_ARCH_")]
    [InlineData("")]
    public void UnknownArchNamesThePath(string oci)
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.ArchName(oci, "linux.seccomp.architectures[4]"));
        Assert.Equal("linux.seccomp.architectures[4]", e.Path);
        Assert.StartsWith("linux.seccomp.architectures[4]: ", e.Message);
    }

    // ---- Build ----

    private static LinuxSyscall Sc(string action, params string[] names) => new() { Action = action, Names = names.ToList() };

    private static LinuxSeccompArg Arg(uint index, string op, ulong value, ulong? two = null) =>
        new() { Index = index, Op = op, Value = value, ValueTwo = two };

    [Fact]
    public void BuildEmpty()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW" });
        Assert.Equal(SeccompPlan.ActAllow, p.DefaultAction);
        Assert.Empty(p.Architectures);
        Assert.Empty(p.Rules);
        Assert.False(p.Log);
        Assert.False(p.SpecAllow);
        Assert.False(p.WaitKillableRecv);
        Assert.False(p.UsesNotify);
    }

    [Fact]
    public void BuildDefaultActionWithDefaultErrnoRet()
    {
        Assert.Equal(0x00050001u, SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ERRNO" }).DefaultAction);
        Assert.Equal(0x00050026u, SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ERRNO", DefaultErrnoRet = 38 }).DefaultAction);
    }

    [Fact]
    public void BuildUnknownDefaultAction()
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_NOPE" }));
        Assert.Equal("linux.seccomp.defaultAction", e.Path);
        Assert.Contains("SCMP_ACT_NOPE", e.Message);
    }

    [Fact]
    public void BuildFlags()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = new() { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" },
        });
        Assert.True(p.Log);
        Assert.True(p.SpecAllow);
        Assert.True(p.WaitKillableRecv);

        Assert.True(SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = new() { "SECCOMP_FILTER_FLAG_LOG" } }).Log);
        var only = SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = new() { "SECCOMP_FILTER_FLAG_SPEC_ALLOW" } });
        Assert.True(only.SpecAllow);
        Assert.False(only.Log);
        Assert.False(only.WaitKillableRecv);
        var tsync = SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = new() { "SECCOMP_FILTER_FLAG_TSYNC" } });
        Assert.False(tsync.Log || tsync.SpecAllow || tsync.WaitKillableRecv);
    }

    [Fact]
    public void KnownFlagsAreRuncs()
    {
        Assert.Equal(new[]
        {
            "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
        }, SeccompPlan.KnownFlags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BuildUnknownFlagNamesItsIndex()
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = new() { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_NEW_LISTENER" },
        }));
        Assert.Equal("linux.seccomp.flags[1]", e.Path);
        Assert.StartsWith("linux.seccomp.flags[1]: ", e.Message);
        Assert.Contains("SECCOMP_FILTER_FLAG_NEW_LISTENER", e.Message);
    }

    [Fact]
    public void BuildFlagsAreCheckedBeforeTheDefaultAction()
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "bad", Flags = new() { "bad" } }));
        Assert.Equal("linux.seccomp.flags[0]", e.Path);
    }

    [Fact]
    public void BuildArchitectures()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = new() { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" },
        });
        Assert.Equal(new[] { "x86_64", "x86", "x32" }, p.Architectures);

        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = new() { "SCMP_ARCH_X86_64", "SCMP_ARCH_VAX" },
        }));
        Assert.Equal("linux.seccomp.architectures[1]", e.Path);
    }

    [Fact]
    public void BuildOneRulePerName()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = new() { Sc("SCMP_ACT_ALLOW", "read", "write", "close"), Sc("SCMP_ACT_KILL_PROCESS", "ptrace") },
        });
        Assert.Equal(new[] { "read", "write", "close", "ptrace" }, p.Rules.Select(r => r.Syscall));
        Assert.Equal(new[] { SeccompPlan.ActAllow, SeccompPlan.ActAllow, SeccompPlan.ActAllow, SeccompPlan.ActKillProcess }, p.Rules.Select(r => r.Action));
        Assert.All(p.Rules, r => Assert.Empty(r.Conditions));
    }

    [Fact]
    public void BuildSkipsRulesWhoseActionIsTheDefault()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = new()
            {
                Sc("SCMP_ACT_ERRNO", "mount"),                                      // same as the default: EPERM
                new LinuxSyscall { Action = "SCMP_ACT_ERRNO", ErrnoRet = 1, Names = new() { "umount2" } }, // EPERM spelled out
                new LinuxSyscall { Action = "SCMP_ACT_ERRNO", ErrnoRet = 38, Names = new() { "kexec_load" } }, // a different errno
                Sc("SCMP_ACT_ALLOW", "getpid"),
            },
        });
        Assert.Equal(new[] { "kexec_load", "getpid" }, p.Rules.Select(r => r.Syscall));
        Assert.Equal(0x00050026u, p.Rules[0].Action);
    }

    [Fact]
    public void BuildSkipsAllowRulesUnderAllowAndKillAliases()
    {
        var allow = SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = new() { Sc("SCMP_ACT_ALLOW", "read") } });
        Assert.Empty(allow.Rules);
        // SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD: the same action.
        var kill = SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_KILL", Syscalls = new() { Sc("SCMP_ACT_KILL_THREAD", "read") } });
        Assert.Empty(kill.Rules);
    }

    [Fact]
    public void BuildUnknownRuleActionNamesThePath()
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = new() { Sc("SCMP_ACT_ERRNO", "a"), Sc("SCMP_ACT_ERRNO", "b"), Sc("SCMP_ACT_FOO", "c") },
        }));
        Assert.Equal("linux.seccomp.syscalls[2].action", e.Path);
    }

    [Fact]
    public void BuildConditions()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = new()
            {
                new LinuxSyscall
                {
                    Action = "SCMP_ACT_ERRNO", Names = new() { "personality" },
                    Args = new() { Arg(0, "SCMP_CMP_MASKED_EQ", 0xff, 0x8) },
                },
            },
        });
        var r = Assert.Single(p.Rules);
        Assert.Equal(new[] { new SeccompPlan.Condition(0, 7, 0xff, 0x8) }, r.Conditions);
    }

    [Fact]
    public void BuildValueTwoDefaultsToZero()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = new() { new LinuxSyscall { Action = "SCMP_ACT_ERRNO", Names = new() { "x" }, Args = new() { Arg(5, "SCMP_CMP_EQ", 3) } } },
        });
        Assert.Equal(new SeccompPlan.Condition(5, 4, 3, 0), Assert.Single(Assert.Single(p.Rules).Conditions));
    }

    [Fact]
    public void BuildConditionsOnDifferentArgsAreOneRule()
    {
        // AND: clone(flags & X == X, ... arg 1 == 0) as one rule with both conditions.
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = new()
            {
                new LinuxSyscall
                {
                    Action = "SCMP_ACT_ALLOW", Names = new() { "socket", "socketpair" },
                    Args = new() { Arg(0, "SCMP_CMP_EQ", 1), Arg(1, "SCMP_CMP_NE", 2), Arg(2, "SCMP_CMP_LT", 3) },
                },
            },
        });
        Assert.Equal(2, p.Rules.Count);
        Assert.Equal(new[] { "socket", "socketpair" }, p.Rules.Select(r => r.Syscall));
        foreach (var r in p.Rules)
        {
            Assert.Equal(new[]
            {
                new SeccompPlan.Condition(0, 4, 1, 0), new SeccompPlan.Condition(1, 1, 2, 0), new SeccompPlan.Condition(2, 2, 3, 0),
            }, r.Conditions);
        }
    }

    [Fact]
    public void BuildConditionsOnTheSameArgAreOneRuleEach()
    {
        // OR: runc's "old behaviour", personality(0) || personality(8) || personality(0xffffffff).
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = new()
            {
                new LinuxSyscall
                {
                    Action = "SCMP_ACT_ALLOW", Names = new() { "personality", "personality2" },
                    Args = new() { Arg(0, "SCMP_CMP_EQ", 0), Arg(0, "SCMP_CMP_EQ", 8), Arg(0, "SCMP_CMP_EQ", 0xffffffff) },
                },
            },
        });
        Assert.Equal(new[] { "personality", "personality", "personality", "personality2", "personality2", "personality2" },
            p.Rules.Select(r => r.Syscall));
        Assert.All(p.Rules, r => Assert.Single(r.Conditions));
        Assert.Equal(new ulong[] { 0, 8, 0xffffffff, 0, 8, 0xffffffff }, p.Rules.Select(r => r.Conditions[0].Value));
    }

    [Fact]
    public void BuildAnyRepeatedArgSplitsEveryCondition()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = new()
            {
                new LinuxSyscall
                {
                    Action = "SCMP_ACT_ALLOW", Names = new() { "x" },
                    Args = new() { Arg(0, "SCMP_CMP_EQ", 1), Arg(0, "SCMP_CMP_EQ", 2), Arg(1, "SCMP_CMP_EQ", 3) },
                },
            },
        });
        Assert.Equal(3, p.Rules.Count);
        Assert.All(p.Rules, r => Assert.Single(r.Conditions));
    }

    [Fact]
    public void BuildArgIndexAbove5IsAnError()
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = new()
            {
                Sc("SCMP_ACT_ERRNO", "a"),
                new LinuxSyscall { Action = "SCMP_ACT_ERRNO", Names = new() { "b" }, Args = new() { Arg(5, "SCMP_CMP_EQ", 0), Arg(6, "SCMP_CMP_EQ", 0) } },
            },
        }));
        Assert.Equal("linux.seccomp.syscalls[1].args[1].index", e.Path);
        Assert.Contains("6", e.Message);
    }

    [Fact]
    public void BuildUnknownOperatorNamesThePath()
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = new() { new LinuxSyscall { Action = "SCMP_ACT_ERRNO", Names = new() { "b" }, Args = new() { Arg(0, "SCMP_CMP_EQ", 0), Arg(1, "EQ", 0) } } },
        }));
        Assert.Equal("linux.seccomp.syscalls[0].args[1].op", e.Path);
    }

    [Fact]
    public void BuildRuleWithoutNamesAddsNothing()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = new() { new LinuxSyscall { Action = "SCMP_ACT_ERRNO" }, new LinuxSyscall { Action = "SCMP_ACT_ERRNO", Names = new() } },
        });
        Assert.Empty(p.Rules);
    }

    [Fact]
    public void BuildUsesNotify()
    {
        Assert.False(SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = new() { Sc("SCMP_ACT_ERRNO", "a") } }).UsesNotify);
        var rule = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            ListenerPath = "/run/agent.sock",
            Syscalls = new() { Sc("SCMP_ACT_ERRNO", "a"), Sc("SCMP_ACT_NOTIFY", "mkdir") },
        });
        Assert.True(rule.UsesNotify);
        Assert.Equal(SeccompPlan.ActNotify, rule.Rules[^1].Action);
    }

    // ---- SCMP_ACT_NOTIFY rules (runc's InitSeccomp checks; listenerPath checked before anything is made) ----

    [Fact]
    public void NotifyAsDefaultActionIsRefused()
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_NOTIFY", ListenerPath = "/a" }));
        Assert.Equal("linux.seccomp.defaultAction", e.Path);
        Assert.Equal("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action", e.Message);
    }

    [Theory]
    [InlineData("write")]
    [InlineData("sendmsg")]
    public void NotifyForASyscallTheHandoverNeedsIsRefused(string name)
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            ListenerPath = "/run/agent.sock",
            Syscalls = new() { Sc("SCMP_ACT_NOTIFY", "mkdir"), Sc("SCMP_ACT_NOTIFY", "chmod", name) },
        }));
        Assert.Equal("linux.seccomp.syscalls[1].names[1]", e.Path);
        Assert.StartsWith($"linux.seccomp.syscalls[1].names[1]: SCMP_ACT_NOTIFY cannot be used for the {name} syscall", e.Message);
    }

    [Theory]
    [InlineData("write")]
    [InlineData("sendmsg")]
    public void OtherActionsOnThoseSyscallsAreFine(string name)
    {
        var p = SeccompPlan.Build(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = new() { Sc("SCMP_ACT_ERRNO", name) } });
        Assert.Single(p.Rules);
        Assert.False(p.UsesNotify);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NotifyWithoutListenerPathIsRefused(string? listenerPath)
    {
        var e = Assert.Throws<SpecException>(() => SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            ListenerPath = listenerPath,
            ListenerMetadata = "m",
            Syscalls = new() { Sc("SCMP_ACT_NOTIFY", "mkdir") },
        }));
        Assert.Equal("linux.seccomp.listenerPath", e.Path);
        Assert.StartsWith("linux.seccomp.listenerPath: must be set when SCMP_ACT_NOTIFY is used", e.Message);
    }

    [Fact]
    public void ListenerPathWithoutNotifyIsIgnored_AsRunc()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            ListenerPath = "/nowhere.sock",
            ListenerMetadata = "m",
            Syscalls = new() { Sc("SCMP_ACT_ERRNO", "mkdir") },
        });
        Assert.False(p.UsesNotify);
    }

    [Fact]
    public void NotifyRuleWithoutNamesNeedsNoListener()
    {
        var p = SeccompPlan.Build(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = new() { new LinuxSyscall { Action = "SCMP_ACT_NOTIFY", Names = new() } },
        });
        Assert.False(p.UsesNotify);
        Assert.Empty(p.Rules);
    }

    [Fact]
    public void NotifyFromJsonWithMetadata()
    {
        OciSpec s = SpecJson.ParseSpec("""
        {"ociVersion":"1.2.0","linux":{"seccomp":{
          "defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock","listenerMetadata":"foo=bar",
          "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]}}}
        """);
        var p = SeccompPlan.Build(s.Linux!.Seccomp!);
        Assert.True(p.UsesNotify);
        Assert.Equal(new[] { "mkdir", "mkdirat" }, p.Rules.Select(r => r.Syscall));
        Assert.All(p.Rules, r => Assert.Equal(SeccompPlan.ActNotify, r.Action));
        Assert.Equal("/run/agent.sock", s.Linux.Seccomp!.ListenerPath);
        Assert.Equal("foo=bar", s.Linux.Seccomp.ListenerMetadata);
    }

    [Fact]
    public void BuildFromJson()
    {
        OciSpec s = SpecJson.ParseSpec("""
        {"ociVersion":"1.2.0","linux":{"seccomp":{
          "defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,
          "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_AARCH64"],
          "flags":["SECCOMP_FILTER_FLAG_LOG"],
          "syscalls":[
            {"names":["read","write"],"action":"SCMP_ACT_ALLOW"},
            {"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"op":"SCMP_CMP_MASKED_EQ"}]},
            {"names":["chmod"],"action":"SCMP_ACT_ERRNO","errnoRet":38}
          ]}}}
        """);
        var p = SeccompPlan.Build(s.Linux!.Seccomp!);
        Assert.Equal(0x00050026u, p.DefaultAction);
        Assert.Equal(new[] { "x86_64", "aarch64" }, p.Architectures);
        Assert.True(p.Log);
        Assert.Equal(new[] { "read", "write", "clone" }, p.Rules.Select(r => r.Syscall));
        Assert.Equal(new SeccompPlan.Condition(0, 7, 2114060288, 0), Assert.Single(p.Rules[2].Conditions));
    }
}
