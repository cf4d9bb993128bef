using OciRuntime.Spec;

namespace OciRuntime.Tests.Unit.Spec;

public class SignalsTests
{
    private static readonly string[] Standard =
    [
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    [Theory]
    [InlineData("KILL", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("sigkill", 9)]
    [InlineData("Kill", 9)]
    [InlineData("9", 9)]
    [InlineData("09", 9)]
    [InlineData("0", 0)]
    [InlineData("64", 64)]
    [InlineData("TERM", 15)]
    [InlineData("HUP", 1)]
    [InlineData("int", 2)]
    [InlineData("SIGUSR1", 10)]
    [InlineData("USR2", 12)]
    [InlineData("STKFLT", 16)]
    [InlineData("CHLD", 17)]
    [InlineData("CLD", 17)]
    [InlineData("IOT", 6)]
    [InlineData("ABRT", 6)]
    [InlineData("POLL", 29)]
    [InlineData("IO", 29)]
    [InlineData("WINCH", 28)]
    [InlineData("PWR", 30)]
    [InlineData("SYS", 31)]
    [InlineData("UNUSED", 31)]
    [InlineData("STOP", 19)]
    [InlineData("CONT", 18)]
    [InlineData("RTMIN", 34)]
    [InlineData("SIGRTMIN", 34)]
    [InlineData("RTMIN+0", 34)]
    [InlineData("RTMIN+1", 35)]
    [InlineData("sigrtmin+15", 49)]
    [InlineData("SIGRTMIN+30", 64)]
    [InlineData("RTMAX", 64)]
    [InlineData("rtmax-1", 63)]
    [InlineData("SIGRTMAX-14", 50)]
    [InlineData("SIGRTMAX-30", 34)]
    public void Parse_Accepts(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("FOO")]
    [InlineData("SIGFOO")]
    [InlineData("")]
    [InlineData("SIG")]
    [InlineData("65")]
    [InlineData("-1")]
    [InlineData("+9")]
    [InlineData(" 9")]
    [InlineData("9x")]
    [InlineData("KILL ")]
    [InlineData("SIG KILL")]
    [InlineData("RTMIN+31")]
    [InlineData("RTMAX-31")]
    [InlineData("RTMIN+")]
    [InlineData("RTMIN+-1")]
    [InlineData("RTMIN-1")]
    [InlineData("RTMAX+1")]
    [InlineData("RTMIN+1a")]
    [InlineData("99999999999")]
    public void Parse_RejectsWithRuncMessage(string text)
    {
        var e = Assert.Throws<SpecException>(() => Signals.Parse(text));
        Assert.Equal($"unknown signal \"{text}\"", e.Message);
        Assert.False(Signals.TryParse(text, out _));
    }

    [Fact]
    public void StandardTable_MatchesLinuxX86_64()
    {
        for (int i = 0; i < Standard.Length; i++)
        {
            Assert.Equal(i + 1, Signals.Table[Standard[i]]);
            Assert.Equal(Standard[i], Signals.Name(i + 1));
            Assert.Equal(i + 1, Signals.Parse(Standard[i][3..]));
        }

        Assert.Equal(37, Signals.Table.Count); // 31 + IOT, CLD, POLL, UNUSED + RTMIN, RTMAX
        Assert.Equal(9, Signals.SigKill);
        Assert.Equal(15, Signals.SigTerm);
        Assert.Equal(34, Signals.SigRtMin);
        Assert.Equal(64, Signals.SigRtMax);
    }

    [Theory]
    [InlineData(34, "SIGRTMIN")]
    [InlineData(35, "SIGRTMIN+1")]
    [InlineData(49, "SIGRTMIN+15")]
    [InlineData(50, "SIGRTMAX-14")]
    [InlineData(63, "SIGRTMAX-1")]
    [InlineData(64, "SIGRTMAX")]
    [InlineData(32, "SIG32")]
    [InlineData(33, "SIG33")]
    [InlineData(0, "SIG0")]
    public void Name_RealtimeAndReserved(int n, string name) => Assert.Equal(name, Signals.Name(n));

    [Fact]
    public void Name_ParsesBack_ForEveryNamedSignal()
    {
        foreach (int n in Enumerable.Range(1, 31).Concat(Enumerable.Range(34, 31)))
        {
            Assert.Equal(n, Signals.Parse(Signals.Name(n)));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void Name_OutOfRange_Throws(int n) => Assert.Throws<ArgumentOutOfRangeException>(() => Signals.Name(n));
}

public class CapabilitiesTests
{
    [Fact]
    public void Table_IsTheFullLinuxList()
    {
        var expected = new Dictionary<string, int>
        {
            ["CAP_CHOWN"] = 0, ["CAP_DAC_OVERRIDE"] = 1, ["CAP_DAC_READ_SEARCH"] = 2, ["CAP_FOWNER"] = 3,
            ["CAP_FSETID"] = 4, ["CAP_KILL"] = 5, ["CAP_SETGID"] = 6, ["CAP_SETUID"] = 7, ["CAP_SETPCAP"] = 8,
            ["CAP_LINUX_IMMUTABLE"] = 9, ["CAP_NET_BIND_SERVICE"] = 10, ["CAP_NET_BROADCAST"] = 11,
            ["CAP_NET_ADMIN"] = 12, ["CAP_NET_RAW"] = 13, ["CAP_IPC_LOCK"] = 14, ["CAP_IPC_OWNER"] = 15,
            ["CAP_SYS_MODULE"] = 16, ["CAP_SYS_RAWIO"] = 17, ["CAP_SYS_CHROOT"] = 18, ["CAP_SYS_PTRACE"] = 19,
            ["CAP_SYS_PACCT"] = 20, ["CAP_SYS_ADMIN"] = 21, ["CAP_SYS_BOOT"] = 22, ["CAP_SYS_NICE"] = 23,
            ["CAP_SYS_RESOURCE"] = 24, ["CAP_SYS_TIME"] = 25, ["CAP_SYS_TTY_CONFIG"] = 26, ["CAP_MKNOD"] = 27,
            ["CAP_LEASE"] = 28, ["CAP_AUDIT_WRITE"] = 29, ["CAP_AUDIT_CONTROL"] = 30, ["CAP_SETFCAP"] = 31,
            ["CAP_MAC_OVERRIDE"] = 32, ["CAP_MAC_ADMIN"] = 33, ["CAP_SYSLOG"] = 34, ["CAP_WAKE_ALARM"] = 35,
            ["CAP_BLOCK_SUSPEND"] = 36, ["CAP_AUDIT_READ"] = 37, ["CAP_PERFMON"] = 38, ["CAP_BPF"] = 39,
            ["CAP_CHECKPOINT_RESTORE"] = 40,
        };
        Assert.Equal(41, Capabilities.All.Count);
        Assert.Equal(expected.OrderBy(kv => kv.Key), Capabilities.All.OrderBy(kv => kv.Key));
        Assert.Equal(40, Capabilities.Last);
        for (int i = 0; i <= Capabilities.Last; i++)
        {
            Assert.Equal(i, Capabilities.All[Capabilities.Names[i]]);
            Assert.Equal(Capabilities.Names[i], Capabilities.Name(i));
        }
    }

    [Fact]
    public void Lookup_IsExact()
    {
        Assert.True(Capabilities.TryGetNumber("CAP_SYS_ADMIN", out int n));
        Assert.Equal(21, n);
        Assert.False(Capabilities.TryGetNumber("cap_sys_admin", out _));
        Assert.False(Capabilities.TryGetNumber("SYS_ADMIN", out _));
        Assert.Equal(21, Capabilities.Number("CAP_SYS_ADMIN"));
        Assert.Equal("unknown capability \"CAP_FOO\"", Assert.Throws<SpecException>(() => Capabilities.Number("CAP_FOO")).Message);
        Assert.Null(Capabilities.Name(41));
        Assert.Null(Capabilities.Name(-1));
    }
}

public class RlimitsTests
{
    [Fact]
    public void Table_MatchesLinuxResourceNumbers()
    {
        string[] order =
        [
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
            "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
        ];
        Assert.Equal(16, Rlimits.Table.Count);
        for (int i = 0; i < order.Length; i++)
        {
            Assert.Equal(i, Rlimits.Table[order[i]]);
        }

        Assert.True(Rlimits.TryGetResource("RLIMIT_NOFILE", out int r));
        Assert.Equal(7, r);
        Assert.Equal(9, Rlimits.Resource("RLIMIT_AS"));
        Assert.False(Rlimits.TryGetResource("NOFILE", out _));
        Assert.Equal("unknown rlimit type \"RLIMIT_X\"", Assert.Throws<SpecException>(() => Rlimits.Resource("RLIMIT_X")).Message);
        Assert.Equal(ulong.MaxValue, Rlimits.Infinity);
    }
}

public class NamespaceTypesTests
{
    [Theory]
    [InlineData("pid", "pid", 0x20000000)]
    [InlineData("network", "net", 0x40000000)]
    [InlineData("mount", "mnt", 0x00020000)]
    [InlineData("ipc", "ipc", 0x08000000)]
    [InlineData("uts", "uts", 0x04000000)]
    [InlineData("user", "user", 0x10000000)]
    [InlineData("cgroup", "cgroup", 0x02000000)]
    [InlineData("time", "time", 0x00000080)]
    public void Mappings(string type, string proc, int flag)
    {
        Assert.True(NamespaceTypes.IsValid(type));
        Assert.Equal(proc, NamespaceTypes.ProcName(type));
        Assert.Equal(type, NamespaceTypes.FromProcName(proc));
        Assert.Equal(flag, NamespaceTypes.CloneFlag(type));
        Assert.Equal(flag, NamespaceTypes.CloneFlags[type]);
        Assert.Contains(type, NamespaceTypes.All);
    }

    [Fact]
    public void All_HasTheEightTypesInSpecOrder()
    {
        Assert.Equal(["pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"], NamespaceTypes.All);
        Assert.Equal(0x7E020080, NamespaceTypes.CloneFlagsOf(NamespaceTypes.All));
        Assert.Equal(NamespaceTypes.CloneNewPid | NamespaceTypes.CloneNewNet, NamespaceTypes.CloneFlagsOf(["pid", "network"]));
    }

    [Theory]
    [InlineData("net")]
    [InlineData("mnt")]
    [InlineData("PID")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown(string? type)
    {
        Assert.False(NamespaceTypes.IsValid(type));
        if (type is not null)
        {
            Assert.Equal($"unknown namespace type '{type}'", Assert.Throws<SpecException>(() => NamespaceTypes.CloneFlag(type)).Message);
            Assert.Throws<SpecException>(() => NamespaceTypes.ProcName(type));
        }

        Assert.Throws<SpecException>(() => NamespaceTypes.FromProcName("network"));
    }
}
