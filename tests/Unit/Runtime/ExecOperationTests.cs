using System.Runtime.Versioning;
using OciRuntime.Spec;
using Runcs.Container;
using Runcs.Native;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>`exec` without --process: the container's process with the command line's changes (as runc's getProcess).</summary>
[SupportedOSPlatform("linux")]
public class ExecOperationTests
{
    private static readonly string[] None = Array.Empty<string>();

    private static OciSpec Container() => new()
    {
        Process = new Process
        {
            Terminal = true,
            Args = new() { "/sbin/init" },
            Env = new() { "PATH=/usr/bin:/bin", "HOME=/root", "TERM=xterm" },
            Cwd = "/srv",
            User = new User { Uid = 1000, Gid = 1001, AdditionalGids = new() { 10, 11 }, Umask = 0x12 },
            Capabilities = new LinuxCapabilities
            {
                Bounding = new() { "CAP_CHOWN", "CAP_KILL" },
                Effective = new() { "CAP_CHOWN" },
                Permitted = new() { "CAP_CHOWN", "CAP_KILL" },
                Inheritable = null,
                Ambient = null,
            },
            Rlimits = new() { new POSIXRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 } },
            NoNewPrivileges = false,
            ApparmorProfile = "container-default",
            SelinuxLabel = "system_u:system_r:container_t:s0",
            OomScoreAdj = 100,
        },
    };

    private static Process Build(OciSpec? spec = null, string[]? args = null, bool tty = false, string? cwd = null,
        string[]? env = null, string? user = null, string[]? gids = null, string[]? caps = null, bool noNewPrivs = false,
        string? apparmor = null, string? label = null) =>
        ExecOperation.BuildProcess(spec ?? Container(), (args ?? new[] { "ls", "-l" }).ToList(), tty, cwd, env ?? None, user,
            gids ?? None, caps ?? None, noNewPrivs, apparmor, label);

    // ---- MergeEnv ----

    [Fact]
    public void MergeEnvOverridesByKeyAndAppendsNew()
    {
        var merged = ExecOperation.MergeEnv(new() { "PATH=/bin", "HOME=/root", "TERM=xterm" }, new[] { "HOME=/home/u", "NEW=1" });
        Assert.Equal(new[] { "PATH=/bin", "TERM=xterm", "HOME=/home/u", "NEW=1" }, merged);
    }

    [Fact]
    public void MergeEnvLastOfTheExtrasWins()
    {
        var merged = ExecOperation.MergeEnv(new() { "A=0" }, new[] { "A=1", "A=2" });
        Assert.Equal(new[] { "A=2" }, merged);
    }

    [Fact]
    public void MergeEnvKeyIsTheWholeName()
    {
        var merged = ExecOperation.MergeEnv(new() { "PATH=/bin", "PATHX=1", "P=2" }, new[] { "PATH=/usr/bin" });
        Assert.Equal(new[] { "PATHX=1", "P=2", "PATH=/usr/bin" }, merged);
    }

    [Fact]
    public void MergeEnvValueWithEquals()
    {
        var merged = ExecOperation.MergeEnv(new() { "OPTS=a=b" }, new[] { "OPTS=c=d=e" });
        Assert.Equal(new[] { "OPTS=c=d=e" }, merged);
    }

    [Fact]
    public void MergeEnvEmptyValueStillOverrides()
    {
        Assert.Equal(new[] { "X=" }, ExecOperation.MergeEnv(new() { "X=1" }, new[] { "X=" }));
    }

    [Fact]
    public void MergeEnvNullBaseAndNoExtras()
    {
        Assert.Equal(new[] { "A=1" }, ExecOperation.MergeEnv(null, new[] { "A=1" }));
        Assert.Empty(ExecOperation.MergeEnv(null, None));
        Assert.Equal(new[] { "A=1", "B=2" }, ExecOperation.MergeEnv(new() { "A=1", "B=2" }, None));
    }

    [Fact]
    public void MergeEnvDoesNotTouchTheBase()
    {
        var baseEnv = new List<string> { "A=1", "B=2" };
        var merged = ExecOperation.MergeEnv(baseEnv, new[] { "A=9" });
        Assert.Equal(new[] { "A=1", "B=2" }, baseEnv);
        Assert.NotSame(baseEnv, merged);
    }

    // ---- BuildProcess ----

    [Fact]
    public void ArgsAreTheCommandLine()
    {
        var p = Build(args: new[] { "sh", "-c", "echo hi" });
        Assert.Equal(new[] { "sh", "-c", "echo hi" }, p.Args);
    }

    [Fact]
    public void TtyComesFromTheFlagOnly()
    {
        // The container's process has terminal: true; exec without -t has none (as runc).
        Assert.False(Build(tty: false).Terminal);
        Assert.True(Build(tty: true).Terminal);
    }

    [Theory]
    [InlineData(null, "/srv")]
    [InlineData("", "/srv")]
    [InlineData("/tmp", "/tmp")]
    public void Cwd(string? flag, string expected) => Assert.Equal(expected, Build(cwd: flag).Cwd);

    [Fact]
    public void EnvIsMergedIntoTheContainers()
    {
        var p = Build(env: new[] { "HOME=/home/u", "X=1" });
        Assert.Equal(new[] { "PATH=/usr/bin:/bin", "TERM=xterm", "HOME=/home/u", "X=1" }, p.Env);
    }

    [Fact]
    public void WithoutUserFlagTheContainersUser()
    {
        var p = Build();
        Assert.Equal(1000u, p.User!.Uid);
        Assert.Equal(1001u, p.User.Gid);
        Assert.Equal(new uint[] { 10, 11 }, p.User.AdditionalGids);
        Assert.Equal(0x12u, p.User.Umask);
    }

    [Fact]
    public void UserUid()
    {
        var p = Build(user: "0");
        Assert.Equal(0u, p.User!.Uid);
        Assert.Equal(1001u, p.User.Gid); // the gid stays the container's
    }

    [Fact]
    public void UserUidGid()
    {
        var p = Build(user: "5:6");
        Assert.Equal(5u, p.User!.Uid);
        Assert.Equal(6u, p.User.Gid);
        Assert.Equal(new uint[] { 10, 11 }, p.User.AdditionalGids);
    }

    [Fact]
    public void UserMaxUid()
    {
        var p = Build(user: "4294967294:4294967294");
        Assert.Equal(4294967294u, p.User!.Uid);
        Assert.Equal(4294967294u, p.User.Gid);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("abc:0")]
    [InlineData("-1")]
    [InlineData(":5")]
    [InlineData("4294967296")]
    [InlineData("1.5")]
    public void InvalidUidNamesTheFlag(string user)
    {
        var e = Assert.Throws<RuncsException>(() => Build(user: user));
        Assert.Contains("--user", e.Message);
        Assert.Contains("uid", e.Message);
    }

    [Theory]
    [InlineData("0:wheel")]
    [InlineData("0:")]
    [InlineData("0:-1")]
    public void InvalidGidNamesTheFlag(string user)
    {
        var e = Assert.Throws<RuncsException>(() => Build(user: user));
        Assert.Contains("--user", e.Message);
        Assert.Contains("gid", e.Message);
    }

    [Fact]
    public void UserWithTwoColonsIsRejected()
    {
        var e = Assert.Throws<RuncsException>(() => Build(user: "1:2:3"));
        Assert.Contains("--user", e.Message);
    }

    [Fact]
    public void AdditionalGidsInvalid()
    {
        var e = Assert.Throws<RuncsException>(() => Build(gids: new[] { "5", "staff" }));
        Assert.Contains("--additional-gids", e.Message);
        Assert.Contains("staff", e.Message);
        Assert.Throws<RuncsException>(() => Build(gids: new[] { "-1" }));
    }

    [Fact]
    public void AdditionalGidsAreParsed()
    {
        var p = Build(gids: new[] { "20", "30" });
        Assert.Contains(20u, p.User!.AdditionalGids!);
        Assert.Contains(30u, p.User.AdditionalGids!);
    }

    [Fact]
    public void AdditionalGidsWithoutContainerGids()
    {
        var spec = Container();
        spec.Process!.User!.AdditionalGids = null;
        Assert.Equal(new uint[] { 20, 30 }, Build(spec, gids: new[] { "20", "30" }).User!.AdditionalGids);
    }

    [Fact]
    public void AdditionalGidsAreAppendedToTheContainers()
    {
        Assert.Equal(new uint[] { 10, 11, 20, 30 }, Build(gids: new[] { "20", "30" }).User!.AdditionalGids);
    }

    [Fact]
    public void CapsAddedToBoundingEffectivePermittedWithoutDuplicates()
    {
        var p = Build(caps: new[] { "CAP_NET_ADMIN", "CAP_CHOWN", "CAP_NET_ADMIN" });
        var c = p.Capabilities!;
        Assert.Equal(new[] { "CAP_CHOWN", "CAP_KILL", "CAP_NET_ADMIN" }, c.Bounding);
        Assert.Equal(new[] { "CAP_CHOWN", "CAP_NET_ADMIN" }, c.Effective);
        Assert.Equal(new[] { "CAP_CHOWN", "CAP_KILL", "CAP_NET_ADMIN" }, c.Permitted);
    }

    [Fact]
    public void CapsWithAmbientAndInheritableInTheSpec()
    {
        // With inheritable bits in the spec, runc also raises the ambient set.
        var spec = Container();
        spec.Process!.Capabilities!.Inheritable = new() { "CAP_KILL" };
        spec.Process.Capabilities.Ambient = new() { "CAP_KILL" };
        var c = Build(spec, caps: new[] { "CAP_SYS_ADMIN", "CAP_KILL" }).Capabilities!;
        Assert.Equal(new[] { "CAP_KILL", "CAP_SYS_ADMIN" }, c.Ambient);
        Assert.Equal(new[] { "CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN" }, c.Bounding);
    }

    [Fact]
    public void CapsAreNotAddedToInheritable()
    {
        var c = Build(caps: new[] { "CAP_NET_ADMIN" }).Capabilities!;
        Assert.True(c.Inheritable == null || !c.Inheritable.Contains("CAP_NET_ADMIN"), "inheritable: " + string.Join(",", c.Inheritable ?? new()));
        Assert.True(c.Ambient == null || !c.Ambient.Contains("CAP_NET_ADMIN"), "ambient: " + string.Join(",", c.Ambient ?? new()));
    }

    [Fact]
    public void CapsWhenTheContainerHasNone()
    {
        var spec = Container();
        spec.Process!.Capabilities = null;
        var c = Build(spec, caps: new[] { "CAP_SYS_PTRACE" }).Capabilities!;
        Assert.Equal(new[] { "CAP_SYS_PTRACE" }, c.Bounding);
        Assert.Equal(new[] { "CAP_SYS_PTRACE" }, c.Effective);
        Assert.Equal(new[] { "CAP_SYS_PTRACE" }, c.Permitted);
    }

    [Fact]
    public void NoCapsKeepsTheContainersSets()
    {
        var spec = Container();
        var c = Build(spec).Capabilities!;
        Assert.Equal(new[] { "CAP_CHOWN", "CAP_KILL" }, c.Bounding);
        Assert.Equal(new[] { "CAP_CHOWN" }, c.Effective);
        Assert.Null(c.Inheritable);
        Assert.Null(c.Ambient);
    }

    [Theory]
    [InlineData(null, false, false)]
    [InlineData(null, true, true)]
    [InlineData(false, false, false)]
    [InlineData(false, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, true)]
    public void NoNewPrivilegesIsOred(bool? container, bool flag, bool expected)
    {
        var spec = Container();
        spec.Process!.NoNewPrivileges = container;
        Assert.Equal(expected, Build(spec, noNewPrivs: flag).NoNewPrivileges);
    }

    [Theory]
    [InlineData(null, "container-default")]
    [InlineData("", "container-default")]
    [InlineData("unconfined", "unconfined")]
    public void Apparmor(string? flag, string expected) => Assert.Equal(expected, Build(apparmor: flag).ApparmorProfile);

    [Theory]
    [InlineData(null, "system_u:system_r:container_t:s0")]
    [InlineData("", "system_u:system_r:container_t:s0")]
    [InlineData("system_u:system_r:spc_t:s0", "system_u:system_r:spc_t:s0")]
    public void ProcessLabel(string? flag, string expected) => Assert.Equal(expected, Build(label: flag).SelinuxLabel);

    [Fact]
    public void RlimitsAndOomScoreAdjAreKept()
    {
        var p = Build();
        Assert.Equal("RLIMIT_NOFILE", Assert.Single(p.Rlimits!).Type);
        Assert.Equal(100, p.OomScoreAdj);
    }

    [Fact]
    public void TheContainersSpecIsNotModified()
    {
        var spec = Container();
        Build(spec, user: "5:6", env: new[] { "HOME=/x" }, caps: new[] { "CAP_SYS_ADMIN" }, gids: new[] { "99" }, cwd: "/tmp", noNewPrivs: true);
        var sp = spec.Process!;
        Assert.Equal(1000u, sp.User!.Uid);
        Assert.Equal(1001u, sp.User.Gid);
        Assert.Equal(new uint[] { 10, 11 }, sp.User.AdditionalGids);
        Assert.Equal(new[] { "PATH=/usr/bin:/bin", "HOME=/root", "TERM=xterm" }, sp.Env);
        Assert.Equal(new[] { "CAP_CHOWN", "CAP_KILL" }, sp.Capabilities!.Bounding);
        Assert.Equal("/srv", sp.Cwd);
        Assert.False(sp.NoNewPrivileges);
        Assert.Equal(new[] { "/sbin/init" }, sp.Args);
    }

    [Fact]
    public void ContainerWithoutProcess()
    {
        var p = Build(new OciSpec(), user: null, caps: new[] { "CAP_KILL" });
        Assert.Equal(0u, p.User!.Uid);
        Assert.Equal(0u, p.User.Gid);
        Assert.Null(p.Cwd);
        Assert.Empty(p.Env!);
        Assert.Equal(new[] { "CAP_KILL" }, p.Capabilities!.Bounding);
        Assert.False(p.NoNewPrivileges);
    }
}
