using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// process.* as the container's own /proc/self shows it: capability sets, rlimits, user and
/// groups, umask, no_new_privs, oom_score_adj.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProcessFidelityTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public ProcessFidelityTests(Runcs rt) => _rt = rt;

    private static string StatusField(string stdout, string name)
    {
        var m = Regex.Match(stdout, "^" + Regex.Escape(name) + @":\s*(.*?)\s*$", RegexOptions.Multiline);
        Assert.True(m.Success, $"no {name}: line in:\n{stdout}");
        return m.Groups[1].Value;
    }

    /// <summary>
    /// CHOWN=0 DAC_OVERRIDE=1 KILL=5 NET_BIND_SERVICE=10 NET_RAW=13. After execve a root process
    /// gets permitted = effective = bounding|inheritable (limited to the configured permitted set
    /// under no_new_privs); a non-root one gets permitted = effective = ambient. The expected
    /// values are what runc 1.1.5 gives for the same config.
    /// </summary>
    [Theory]
    [InlineData("root-nnp", 0, true, "2020", "421", "421", "2423", "20")]
    [InlineData("root", 0, false, "2020", "2423", "2423", "2423", "20")]
    [InlineData("user-ambient", 1000, true, "420", "420", "420", "2423", "420")]
    public void Capabilities_AllFiveSetsMatch(string name, int uid, bool nnp,
        string inh, string prm, string eff, string bnd, string amb)
    {
        using var b = Bundle.Create("grep", "^Cap", "/proc/self/status");
        b.EditConfig(c =>
        {
            var p = c["process"]!;
            p["noNewPrivileges"] = nnp;
            p["user"] = new JsonObject { ["uid"] = uid, ["gid"] = uid };
            var inheritable = uid == 0 ? new[] { "CAP_KILL", "CAP_NET_RAW" } : new[] { "CAP_KILL", "CAP_NET_BIND_SERVICE" };
            var ambient = uid == 0 ? new[] { "CAP_KILL" } : new[] { "CAP_KILL", "CAP_NET_BIND_SERVICE" };
            p["capabilities"] = new JsonObject
            {
                ["bounding"] = Strings("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"),
                ["permitted"] = Strings("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"),
                ["effective"] = Strings("CAP_CHOWN", "CAP_KILL"),
                ["inheritable"] = Strings(inheritable),
                ["ambient"] = Strings(ambient),
            };
        });

        var r = _rt.RunForeground(b, "caps-" + name).Ok();

        Assert.Equal(inh.PadLeft(16, '0'), StatusField(r.Stdout, "CapInh"));
        Assert.Equal(prm.PadLeft(16, '0'), StatusField(r.Stdout, "CapPrm"));
        Assert.Equal(eff.PadLeft(16, '0'), StatusField(r.Stdout, "CapEff"));
        Assert.Equal(bnd.PadLeft(16, '0'), StatusField(r.Stdout, "CapBnd"));
        Assert.Equal(amb.PadLeft(16, '0'), StatusField(r.Stdout, "CapAmb"));
    }

    [Fact]
    public void Rlimit_NofileLowered_ShowsInProcSelfLimits()
    {
        using var b = Bundle.Create("sh", "-c", "cat /proc/self/limits; echo N=$(ulimit -n)");
        b.EditConfig(c => c["process"]!["rlimits"] = new JsonArray(
            new JsonObject { ["type"] = "RLIMIT_NOFILE", ["soft"] = 100, ["hard"] = 200 },
            new JsonObject { ["type"] = "RLIMIT_NPROC", ["soft"] = 300, ["hard"] = 400 }));

        var r = _rt.RunForeground(b, "nofile").Ok();

        Assert.Matches(@"Max open files\s+100\s+200\s+files", r.Stdout);
        Assert.Matches(@"Max processes\s+300\s+400\s+processes", r.Stdout);
        Assert.Contains("N=100\n", r.Stdout);
    }

    /// <summary>
    /// Regression: a low RLIMIT_AS applied before the runtime's own last steps crashed it.
    /// The container must start, its init and an exec'd process must carry the limit.
    /// </summary>
    [Theory]
    [InlineData(512L * 1024 * 1024)]
    [InlineData(32L * 1024 * 1024)]
    public void Rlimit_LowAddressSpace_ContainerStillStarts_AndExecWorks(long bytes)
    {
        using var b = Bundle.Create("sleep", "1000");
        b.EditConfig(c => c["process"]!["rlimits"] = new JsonArray(
            new JsonObject { ["type"] = "RLIMIT_AS", ["soft"] = bytes, ["hard"] = bytes }));
        var id = _rt.NewId("rlimas");

        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);
        // start returns once init is released; init applies rlimits last, right before execve.
        Assert.True(Proc.WaitUntil(() => File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep"), "init never ran sleep");
        var initLimits = File.ReadAllText($"/proc/{pid}/limits");
        var exec = _rt.Run("exec", id, "sh", "-c", "grep 'Max address space' /proc/self/limits");
        _rt.Run("delete", "--force", id).Ok();

        Assert.Matches($@"Max address space\s+{bytes}\s+{bytes}\s+bytes", initLimits);
        exec.Ok();
        Assert.Matches($@"Max address space\s+{bytes}\s+{bytes}\s+bytes", exec.Stdout);
    }

    [Fact]
    public void User_UidGidAndAdditionalGids()
    {
        using var b = Bundle.Create("sh", "-c",
            "grep -E '^(Uid|Gid|Groups):' /proc/self/status; echo U=$(id -u) G=$(id -g) GS=$(id -G)");
        b.EditConfig(c => c["process"]!["user"] = new JsonObject
        {
            ["uid"] = 1000, ["gid"] = 1001, ["additionalGids"] = new JsonArray(10, 2000),
        });

        var r = _rt.RunForeground(b, "user").Ok();

        Assert.Equal("1000\t1000\t1000\t1000", StatusField(r.Stdout, "Uid"));
        Assert.Equal("1001\t1001\t1001\t1001", StatusField(r.Stdout, "Gid"));
        Assert.Equal("10 2000", StatusField(r.Stdout, "Groups"));
        Assert.Contains("U=1000 G=1001", r.Stdout);
    }

    [Theory]
    [InlineData(63, "0077", "-rw-------", "drwx------")]
    [InlineData(null, "0022", "-rw-r--r--", "drwxr-xr-x")]
    public void Umask_AppliesToCreatedFiles(int? umask, string shown, string fileMode, string dirMode)
    {
        using var b = Bundle.Create("sh", "-c",
            "echo UMASK=$(umask); cd /tmp && touch f && mkdir d && stat -c 'F=%A' f && stat -c 'D=%A' d");
        b.Writable();
        if (umask != null) b.EditConfig(c => c["process"]!["user"]!["umask"] = umask.Value);

        var r = _rt.RunForeground(b, "umask").Ok();

        Assert.Contains($"UMASK={shown}\n", r.Stdout);
        Assert.Contains($"F={fileMode}\n", r.Stdout);
        Assert.Contains($"D={dirMode}\n", r.Stdout);
    }

    [Theory]
    [InlineData(true, "1")]
    [InlineData(false, "0")]
    public void NoNewPrivileges_ShowsInStatus(bool nnp, string expected)
    {
        using var b = Bundle.Create("grep", "NoNewPrivs", "/proc/self/status");
        b.EditConfig(c => c["process"]!["noNewPrivileges"] = nnp);

        var r = _rt.RunForeground(b, "nnp").Ok();

        Assert.Equal(expected, StatusField(r.Stdout, "NoNewPrivs"));
    }

    [Fact]
    public void OomScoreAdj_IsSetForInit()
    {
        // Raising is always allowed; lowering needs CAP_SYS_RESOURCE, which this host lacks.
        using var b = Bundle.Create("cat", "/proc/self/oom_score_adj");
        b.EditConfig(c => c["process"]!["oomScoreAdj"] = 123);

        var r = _rt.RunForeground(b, "oom").Ok();

        Assert.Equal("123", r.Stdout.Trim());
    }
}
