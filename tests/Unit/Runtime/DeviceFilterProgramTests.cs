using System.Runtime.Versioning;
using OciRuntime.Spec;
using Runcs.Cgroups;
using Runcs.Native;
using static Runcs.Cgroups.DeviceFilterProgram;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// The cgroup v2 device program: built from rule lists, run in <see cref="BpfInterpreter"/> on
/// (type, major, minor, access) and checked against what the rules say (last match wins, default
/// deny, "a" is everything, access decided per kind).
/// </summary>
[SupportedOSPlatform("linux")]
public class DeviceFilterProgramTests
{
    /// <summary>"allow c 1:3 rw", "deny b 8:* m", "allow a" (access rwm when omitted).</summary>
    private static DeviceCgroupRule R(string text)
    {
        var f = text.Split(' ');
        bool allow = f[0] switch { "allow" => true, "deny" => false, _ => throw new ArgumentException(text) };
        if (f[1] == "a") return new(allow, 'a', -1, -1, f.Length > 2 ? f[2] : "rwm");
        var mm = f[2].Split(':');
        long N(string s) => s == "*" ? -1 : long.Parse(s);
        return new(allow, f[1][0], N(mm[0]), N(mm[1]), f.Length > 3 ? f[3] : "rwm");
    }

    private static int Access(string letters) =>
        (letters.Contains('r') ? BPF_DEVCG_ACC_READ : 0) | (letters.Contains('w') ? BPF_DEVCG_ACC_WRITE : 0)
        | (letters.Contains('m') ? BPF_DEVCG_ACC_MKNOD : 0);

    /// <summary>Asks the program built from the rules about "c 1:3 rw"-like requests.</summary>
    private static bool Allows(byte[] prog, string request)
    {
        var f = request.Split(' ');
        var mm = f[1].Split(':');
        int type = f[0] == "b" ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
        return BpfInterpreter.Run(prog, type, Access(f[2]), uint.Parse(mm[0]), uint.Parse(mm[1])) == 1;
    }

    private static void Expect(string[] rules, (string Request, bool Allowed)[] cases)
    {
        var prog = Build(rules.Select(R).ToList());
        foreach (var (request, allowed) in cases)
            Assert.True(Allows(prog, request) == allowed, $"rules [{string.Join(", ", rules)}]: '{request}' should be {(allowed ? "allowed" : "denied")}");
    }

    // ---- the semantics, one table each ----

    [Fact]
    public void NoRulesDenyEverything()
    {
        Expect(Array.Empty<string>(), new[] { ("c 1:3 r", false), ("c 1:3 m", false), ("b 8:0 rw", false) });
    }

    [Fact]
    public void DenyAllThenAnAllowList()
    {
        Expect(new[] { "deny a", "allow c 1:3 rwm", "allow c 136:* rw", "allow b 8:0 r" }, new[]
        {
            ("c 1:3 r", true), ("c 1:3 rw", true), ("c 1:3 rwm", true), ("c 1:3 m", true),
            ("c 1:4 r", false), ("c 2:3 r", false), ("b 1:3 r", false),
            ("c 136:0 rw", true), ("c 136:9999 w", true), ("c 136:1 m", false), ("c 137:1 r", false),
            ("b 8:0 r", true), ("b 8:0 w", false), ("b 8:0 rw", false), ("b 8:1 r", false), ("c 8:0 r", false),
        });
    }

    [Fact]
    public void WithoutAnyAllowAllTheDefaultIsDeny()
    {
        Expect(new[] { "allow c 1:3 rwm" }, new[] { ("c 1:3 rw", true), ("c 1:5 r", false), ("b 7:0 m", false) });
        Expect(new[] { "deny c 1:3 w" }, new[] { ("c 1:3 w", false), ("c 1:3 r", false), ("c 1:5 r", false) });
    }

    [Fact]
    public void AllowAllMakesItADenyList()
    {
        Expect(new[] { "allow a" }, new[] { ("c 1:3 rwm", true), ("b 8:0 rw", true), ("c 4095:1048575 m", true) });
        Expect(new[] { "allow a", "deny c 1:11 w", "deny b 8:* rwm" }, new[]
        {
            ("c 1:11 w", false), ("c 1:11 rw", false), ("c 1:11 r", true), ("c 1:11 m", true),
            ("b 8:0 r", false), ("b 8:16 m", false), ("b 9:0 rw", true), ("c 8:0 rw", true),
        });
    }

    [Fact]
    public void DenyAllLaterStartsOver()
    {
        Expect(new[] { "allow a", "allow c 1:3 rwm", "deny a", "allow c 1:5 r" }, new[]
        {
            ("c 1:3 r", false), ("c 1:5 r", true), ("c 1:5 w", false), ("b 8:0 r", false),
        });
        Expect(new[] { "deny a", "allow c 1:3 r", "allow a" }, new[] { ("c 9:9 rwm", true), ("b 8:0 w", true) });
    }

    [Fact]
    public void TypeAIgnoresNumbersAndAccessAsCgroupV1Does()
    {
        // cgroup v1 takes "a" as allow-all / deny-all whatever else the line says.
        Expect(new[] { "allow a r" }, new[] { ("c 1:3 w", true), ("b 8:0 m", true) });
        Expect(new[] { "allow a", "deny a m" }, new[] { ("c 1:3 r", false), ("c 1:3 m", false) });
    }

    [Fact]
    public void LastMatchWins()
    {
        Expect(new[] { "allow c 1:11 rwm", "deny c 1:11 rwm" }, new[] { ("c 1:11 r", false), ("c 1:11 m", false) });
        Expect(new[] { "deny c 1:11 rwm", "allow c 1:11 rwm" }, new[] { ("c 1:11 r", true), ("c 1:11 rwm", true) });
        // a later deny of one kind leaves the others as the earlier allow said
        Expect(new[] { "deny a", "allow c 1:11 rwm", "deny c 1:11 w" }, new[]
        {
            ("c 1:11 r", true), ("c 1:11 m", true), ("c 1:11 w", false),
            ("c 1:11 rw", false), // an O_RDWR open asks both: the denied write denies it
        });
        // a later allow after a deny of the same device
        Expect(new[] { "deny a", "allow c 1:11 r", "deny c 1:11 r", "allow c 1:11 r" }, new[] { ("c 1:11 r", true) });
    }

    [Fact]
    public void WildcardMajorsAndMinors()
    {
        Expect(new[] { "allow c *:5 r", "allow b 8:* rw", "allow c *:* m" }, new[]
        {
            ("c 1:5 r", true), ("c 9:5 r", true), ("c 9:6 r", false), ("b 9:5 r", false),
            ("b 8:0 w", true), ("b 8:17 rw", true), ("b 8:17 m", false), ("b 9:0 w", false), ("c 8:0 w", false),
            ("c 10:229 m", true), ("b 10:229 m", false),
        });
        // a deny inside an earlier wildcard allow (runc's emulator refuses it; the deny holds here)
        Expect(new[] { "allow c *:* rwm", "deny c 1:3 w", "deny c 4:* rwm" }, new[]
        {
            ("c 1:3 w", false), ("c 1:3 r", true), ("c 1:4 w", true), ("c 4:0 r", false), ("c 5:0 r", true),
        });
    }

    [Fact]
    public void PartialAccess()
    {
        // a rule "rw" says nothing about mknod
        Expect(new[] { "deny a", "allow c 1:3 rw" }, new[] { ("c 1:3 m", false), ("c 1:3 r", true), ("c 1:3 rw", true), ("c 1:3 rwm", false) });
        Expect(new[] { "allow a", "deny c 1:3 rw" }, new[] { ("c 1:3 m", true), ("c 1:3 w", false) });
        // kinds allowed by separate rules add up, as in cgroup v1
        Expect(new[] { "deny a", "allow c 1:3 r", "allow c 1:3 w" }, new[] { ("c 1:3 rw", true), ("c 1:3 m", false) });
        Expect(new[] { "deny a", "allow c 1:3 r", "allow c *:* m" }, new[] { ("c 1:3 rm", true), ("c 1:3 rw", false) });
    }

    [Fact]
    public void NumbersAboveInt32AreComparedAsU32()
    {
        // a jump's immediate is sign-extended: 2^31 and above go through a register
        Expect(new[] { "allow c 4294967295:2147483648 r", "allow b 2147483647:0 r" }, new[]
        {
            ("c 4294967295:2147483648 r", true), ("c 2147483647:2147483648 r", false), ("c 4294967295:0 r", false),
            ("b 2147483647:0 r", true),
        });
    }

    // ---- the effective list runcs builds (as v1 writes it) ----

    private static readonly List<LinuxDeviceCgroup> RuncSpecRules = new() { new() { Allow = false, Access = "rwm" } };

    [Fact]
    public void RuncsDefaultSpecAllowsOnlyTheDefaultDevices()
    {
        var prog = Build(DeviceCgroupRule.Effective(RuncSpecRules, Array.Empty<LinuxDevice>()));
        foreach (var dev in new[] { "c 1:3", "c 1:5", "c 1:7", "c 1:8", "c 1:9", "c 5:0", "c 5:2", "c 136:0", "c 136:42", "c 10:200" })
            Assert.True(Allows(prog, dev + " rw"), dev + " rw");
        foreach (var dev in new[] { "c 1:11", "c 5:1", "c 10:229", "c 4:1", "b 8:0", "b 7:0", "c 1:1" })
        {
            Assert.False(Allows(prog, dev + " r"), dev + " r");
            Assert.False(Allows(prog, dev + " w"), dev + " w");
            Assert.True(Allows(prog, dev + " m"), dev + " m (c *:* m, b *:* m)");
        }
        Assert.True(prog.Length / 8 < 200, $"{prog.Length / 8} instructions");
    }

    [Fact]
    public void LinuxDevicesAndAlwaysAllowedDevicesComeAfterTheRules()
    {
        var rules = new List<LinuxDeviceCgroup>
        {
            new() { Allow = false, Access = "rwm" },
            new() { Allow = false, Type = "c", Major = 1, Minor = 3, Access = "w" },   // overridden: /dev/null stays usable
            new() { Allow = false, Type = "c", Major = 10, Minor = 229, Access = "rwm" }, // overridden by linux.devices
            new() { Allow = true, Type = "c", Major = 1, Minor = 11, Access = "w" },
        };
        var devices = new List<LinuxDevice>
        {
            new() { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 },
            new() { Path = "/dev/ttyX", Type = "u", Major = 4, Minor = 70 },
            new() { Path = "/dev/sdz", Type = "b", Major = 8, Minor = 240 },
            new() { Path = "/dev/fifo", Type = "p" },
        };
        var prog = Build(DeviceCgroupRule.Effective(rules, devices));
        Assert.True(Allows(prog, "c 1:3 w"));
        Assert.True(Allows(prog, "c 10:229 rw"));
        Assert.True(Allows(prog, "c 4:70 rw"));
        Assert.True(Allows(prog, "b 8:240 rw"));
        Assert.False(Allows(prog, "b 8:0 r"));
        Assert.True(Allows(prog, "c 1:11 w"));
        Assert.False(Allows(prog, "c 1:11 r"));
    }

    [Fact]
    public void EffectiveRulesNormalizeLikeV1()
    {
        var list = DeviceCgroupRule.Effective(new List<LinuxDeviceCgroup>
        {
            new() { Allow = true },
            new() { Allow = false, Type = "b", Major = -1, Minor = 3, Access = "mw" },
        }, null);
        Assert.Equal(new DeviceCgroupRule(true, 'a', -1, -1, "rwm"), list[0]);
        Assert.Equal(new DeviceCgroupRule(false, 'b', -1, 3, "wm"), list[1]);
        Assert.Equal("b *:3 wm", list[1].V1Line);
        Assert.Equal(DeviceCgroupRule.DefaultAllowed, list.Skip(2));
    }

    [Theory]
    [InlineData("x", null, null, "rwm", "linux.resources.devices[1].type: 'x' is not a, b or c")]
    [InlineData("c", null, null, "rwx", "linux.resources.devices[1].access: 'rwx' is not made of r, w and m")]
    [InlineData("c", 8589934592L, null, "r", "linux.resources.devices[1].major: 8589934592 is out of range (0..4294967295)")]
    [InlineData("b", 1L, 4294967296L, "r", "linux.resources.devices[1].minor: 4294967296 is out of range (0..4294967295)")]
    public void BadRulesAreErrorsNamingTheField(string type, long? major, long? minor, string access, string message)
    {
        var rules = new List<LinuxDeviceCgroup>
        {
            new() { Allow = false, Access = "rwm" },
            new() { Allow = true, Type = type, Major = major, Minor = minor, Access = access },
        };
        var e = Assert.Throws<RuncsException>(() => DeviceCgroupRule.Effective(rules, null));
        Assert.Equal(message, e.Message);
    }

    // ---- against a reference model, on random rule lists ----

    /// <summary>The rules read directly: per asked kind, the last matching rule naming it decides.</summary>
    private static bool Model(IReadOnlyList<DeviceCgroupRule> rules, char type, uint major, uint minor, string asked)
    {
        foreach (var kind in asked)
        {
            bool allowed = false;
            foreach (var r in rules)
            {
                bool match = r.Type == 'a' || r.Type == type && (r.Major < 0 || r.Major == major) && (r.Minor < 0 || r.Minor == minor) && r.Access.Contains(kind);
                if (match) allowed = r.Allow;
            }
            if (!allowed) return false;
        }
        return true;
    }

    [Fact]
    public void RandomRuleListsAgreeWithTheModel()
    {
        var rnd = new Random(20260805);
        string[] accesses = { "r", "w", "m", "rw", "rm", "wm", "rwm" };
        uint[] numbers = { 0, 1, 3, 5, 136, 2147483648, 4294967295 };
        for (int round = 0; round < 300; round++)
        {
            var rules = new List<DeviceCgroupRule>();
            int n = rnd.Next(0, 12);
            for (int i = 0; i < n; i++)
            {
                char t = rnd.Next(10) == 0 ? 'a' : rnd.Next(2) == 0 ? 'b' : 'c';
                long Num() => rnd.Next(3) == 0 ? -1 : numbers[rnd.Next(numbers.Length)];
                rules.Add(t == 'a' ? new(rnd.Next(2) == 0, 'a', -1, -1, "rwm") : new(rnd.Next(2) == 0, t, Num(), Num(), accesses[rnd.Next(accesses.Length)]));
            }
            var prog = Build(rules);
            for (int q = 0; q < 40; q++)
            {
                char t = rnd.Next(2) == 0 ? 'b' : 'c';
                uint major = numbers[rnd.Next(numbers.Length)], minor = numbers[rnd.Next(numbers.Length)];
                string asked = accesses[rnd.Next(accesses.Length)];
                bool got = BpfInterpreter.Run(prog, t == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, Access(asked), major, minor) == 1;
                Assert.True(Model(rules, t, major, minor, asked) == got,
                    $"rules [{string.Join(", ", rules.Select(r => (r.Allow ? "allow " : "deny ") + r.V1Line))}], asked {t} {major}:{minor} {asked}: program says {got}");
            }
        }
    }

    // ---- the encoding ----

    [Fact]
    public void EncodingIsStructBpfInsn()
    {
        var prog = Build(new[] { R("allow c 1:3 rwm") });
        var insns = BpfInterpreter.Decode(prog);
        // r2 = *(u32 *)(r1 + 0): code 0x61, dst 2 in the low nibble, src 1 in the high one
        Assert.Equal(new byte[] { 0x61, 0x12, 0, 0, 0, 0, 0, 0 }, prog[..8]);
        // r4 = *(u32 *)(r1 + 4)
        Assert.Equal(new byte[] { 0x61, 0x14, 4, 0, 0, 0, 0, 0 }, prog[32..40]);
        // ends in w0 = 1; exit
        Assert.Equal(new BpfInterpreter.Insn(ALU32_MOV_K, 0, 0, 0, 1), insns[^2]);
        Assert.Equal(new BpfInterpreter.Insn(JMP_EXIT, 0, 0, 0, 0), insns[^1]);
    }

    [Fact]
    public void NoDeadCodeAfterAnUnconditionalRule()
    {
        // the verifier refuses unreachable instructions: rules before an "a" rule are left out
        foreach (var rules in new[] { new[] { "allow c 1:3 r", "allow a" }, new[] { "allow c 1:3 r", "deny a" }, new[] { "deny a" }, new[] { "allow a" } })
        {
            var prog = Build(rules.Select(R).ToList());
            BpfInterpreter.Check(BpfInterpreter.Decode(prog));
        }
        Assert.True(Build(new[] { R("allow c 1:3 r"), R("allow a") }).Length < Build(new[] { R("allow c 1:3 r") }).Length);
    }

    // ---- the kernel's own verifier, where the tests run as root ----

    public sealed class RootFactAttribute : FactAttribute
    {
        public RootFactAttribute()
        {
            if (Sys.Geteuid() != 0) Skip = "needs root: BPF_PROG_LOAD";
        }
    }

    [RootFact]
    public void TheKernelVerifierAcceptsThePrograms()
    {
        var lists = new List<IReadOnlyList<DeviceCgroupRule>>
        {
            DeviceCgroupRule.Effective(RuncSpecRules, Array.Empty<LinuxDevice>()),
            Array.Empty<DeviceCgroupRule>(),
            new[] { R("allow a") },
            new[] { R("deny a") },
            new[] { R("allow c 1:3 r"), R("allow a"), R("deny c 1:3 w") },
            new[] { R("allow c 4294967295:2147483648 rw"), R("deny b *:* m") },
        };
        foreach (var rules in lists)
        {
            int fd = DeviceFilter.Load(Build(rules));
            Assert.True(fd >= 0);
            Sys.Close(fd);
        }
    }
}
