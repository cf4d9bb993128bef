using OciRuntime.Spec;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Spec;

public class SpecValidatorTests
{
    /// <summary>A valid root config: runc's default spec.</summary>
    private static OciSpec Valid() => DefaultSpec.Create(rootless: false);

    private static SpecException Invalid(OciSpec spec, string path, bool requireProcess = true)
    {
        var e = Assert.Throws<SpecException>(() => SpecValidator.Validate(spec, requireProcess));
        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        return e;
    }

    [Fact]
    public void DefaultSpecs_AndFullFixture_AreValid()
    {
        SpecValidator.Validate(Valid());
        SpecValidator.Validate(DefaultSpec.Create(rootless: true));
        SpecValidator.Validate(DefaultSpec.Create(rootless: true, 1000, 1000));
        SpecValidator.Validate(SpecJson.ParseSpec(Fixtures.FullConfig));
        SpecValidator.Validate(SpecJson.ParseSpec(Fixtures.RuncSpec));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingOciVersion(string? version)
    {
        OciSpec s = Valid();
        s.OciVersion = version;
        Assert.Equal("ociVersion: required field is missing", Invalid(s, "ociVersion").Message);
    }

    [Fact]
    public void MissingRoot()
    {
        OciSpec s = Valid();
        s.Root = null;
        Assert.Equal("root: required field is missing", Invalid(s, "root").Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void MissingRootPath(string? path)
    {
        OciSpec s = Valid();
        s.Root!.Path = path;
        Assert.Equal("root.path: required field is missing", Invalid(s, "root.path").Message);
    }

    [Fact]
    public void MissingProcess_IsAnErrorOnlyWhenRequired()
    {
        OciSpec s = Valid();
        s.Process = null;
        Assert.Equal("process: required field is missing", Invalid(s, "process").Message);
        SpecValidator.Validate(s, requireProcess: false);
    }

    [Fact]
    public void ProcessIsCheckedEvenWhenNotRequired()
    {
        OciSpec s = Valid();
        s.Process!.Args = [];
        Invalid(s, "process.args", requireProcess: false);
    }

    [Fact]
    public void EmptyArgs()
    {
        OciSpec s = Valid();
        s.Process!.Args = [];
        Assert.Equal("process.args: must not be empty", Invalid(s, "process.args").Message);
        s.Process.Args = null;
        Assert.Equal("process.args: must not be empty", Invalid(s, "process.args").Message);
    }

    [Theory]
    [InlineData("work", "process.cwd: must be an absolute path 'work'")]
    [InlineData("./x", "process.cwd: must be an absolute path './x'")]
    [InlineData(null, "process.cwd: required field is missing")]
    [InlineData("", "process.cwd: required field is missing")]
    public void BadCwd(string? cwd, string message)
    {
        OciSpec s = Valid();
        s.Process!.Cwd = cwd;
        Assert.Equal(message, Invalid(s, "process.cwd").Message);
    }

    [Fact]
    public void UnknownNamespaceType()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces![2].Type = "netw";
        Assert.Equal("linux.namespaces[2].type: unknown namespace type 'netw'", Invalid(s, "linux.namespaces[2].type").Message);
    }

    [Theory]
    [InlineData("PID")]
    [InlineData("net")]
    [InlineData("mnt")]
    [InlineData("")]
    public void NamespaceTypeMustBeExactOciName(string type)
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = type });
        Assert.Equal($"linux.namespaces[5].type: unknown namespace type '{type}'", Invalid(s, "linux.namespaces[5].type").Message);
    }

    [Fact]
    public void DuplicateNamespaceType()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "cgroup" });
        s.Linux.Namespaces.Add(new LinuxNamespace { Type = "ipc", Path = "/proc/1/ns/ipc" });
        Assert.Equal("linux.namespaces[6].type: duplicate namespace type 'ipc'", Invalid(s, "linux.namespaces[6].type").Message);
    }

    [Fact]
    public void AllEightNamespaceTypes_AreAccepted()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces = NamespaceTypes.All.Select(t => new LinuxNamespace { Type = t }).ToList();
        s.Linux.UidMappings = [new LinuxIDMapping { HostId = 100000, Size = 65536 }];
        s.Linux.GidMappings = [new LinuxIDMapping { HostId = 100000, Size = 65536 }];
        SpecValidator.Validate(s);
    }

    [Fact]
    public void UidMappingsWithoutUserNamespace()
    {
        OciSpec s = Valid();
        s.Linux!.UidMappings = [new LinuxIDMapping { Size = 1 }];
        Assert.Equal("linux.uidMappings: uid mappings specified, but no user namespace configured",
            Invalid(s, "linux.uidMappings").Message);
    }

    [Fact]
    public void GidMappingsWithoutUserNamespace()
    {
        OciSpec s = Valid();
        s.Linux!.GidMappings = [new LinuxIDMapping { Size = 1 }];
        Assert.Equal("linux.gidMappings: gid mappings specified, but no user namespace configured",
            Invalid(s, "linux.gidMappings").Message);
    }

    [Fact]
    public void EmptyMappingListsWithoutUserNamespace_AreFine()
    {
        OciSpec s = Valid();
        s.Linux!.UidMappings = [];
        s.Linux.GidMappings = [];
        SpecValidator.Validate(s);
    }

    [Fact]
    public void UserNamespaceWithoutMappings()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user" });
        Assert.Equal("linux.uidMappings: user namespace enabled, but no uid mappings found", Invalid(s, "linux.uidMappings").Message);

        s.Linux.UidMappings = [new LinuxIDMapping { Size = 1 }];
        Assert.Equal("linux.gidMappings: user namespace enabled, but no gid mappings found", Invalid(s, "linux.gidMappings").Message);

        s.Linux.GidMappings = [new LinuxIDMapping { Size = 1 }];
        SpecValidator.Validate(s);
    }

    [Fact]
    public void JoinedUserNamespaceNeedsNoMappings()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "user", Path = "/proc/42/ns/user" });
        SpecValidator.Validate(s);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("")]
    [InlineData("proc")]
    public void RelativeMountDestination(string dest)
    {
        OciSpec s = Valid();
        s.Mounts![3].Destination = dest;
        Assert.Equal($"mounts[3].destination: must be an absolute path '{dest}'", Invalid(s, "mounts[3].destination").Message);
    }

    [Fact]
    public void MissingMountDestination()
    {
        OciSpec s = Valid();
        s.Mounts!.Add(new Mount { Type = "tmpfs", Source = "tmpfs" });
        Assert.Equal("mounts[7].destination: must be an absolute path ''", Invalid(s, "mounts[7].destination").Message);
    }

    public static TheoryData<string> CapabilitySets => new() { "bounding", "effective", "inheritable", "permitted", "ambient" };

    [Theory]
    [MemberData(nameof(CapabilitySets))]
    public void UnknownCapability_InEachSet(string set)
    {
        OciSpec s = Valid();
        LinuxCapabilities caps = s.Process!.Capabilities!;
        List<string> list = ["CAP_CHOWN", "CAP_BOGUS"];
        switch (set)
        {
            case "bounding": caps.Bounding = list; break;
            case "effective": caps.Effective = list; break;
            case "inheritable": caps.Inheritable = list; break;
            case "permitted": caps.Permitted = list; break;
            default: caps.Ambient = list; break;
        }

        string path = $"process.capabilities.{set}[1]";
        Assert.Equal($"{path}: unknown capability 'CAP_BOGUS'", Invalid(s, path).Message);
    }

    [Theory]
    [InlineData("CHOWN")]
    [InlineData("cap_chown")]
    [InlineData("Cap_Chown")]
    [InlineData(" CAP_CHOWN")]
    [InlineData("CAP_CHECKPOINT_RESTORE2")]
    public void CapabilityNamesNeedExactCapPrefixForm(string name)
    {
        OciSpec s = Valid();
        s.Process!.Capabilities!.Effective = [name];
        Assert.Equal($"process.capabilities.effective[0]: unknown capability '{name}'",
            Invalid(s, "process.capabilities.effective[0]").Message);
    }

    [Fact]
    public void EveryKnownCapability_IsAccepted()
    {
        OciSpec s = Valid();
        s.Process!.Capabilities = new LinuxCapabilities
        {
            Bounding = [.. Capabilities.Names],
            Effective = [.. Capabilities.Names],
            Inheritable = [.. Capabilities.Names],
            Permitted = [.. Capabilities.Names],
            Ambient = [.. Capabilities.Names],
        };
        SpecValidator.Validate(s);
    }

    [Theory]
    [InlineData("RLIMIT_FOO")]
    [InlineData("NOFILE")]
    [InlineData("rlimit_nofile")]
    [InlineData("")]
    public void UnknownRlimitType(string type)
    {
        OciSpec s = Valid();
        s.Process!.Rlimits!.Add(new POSIXRlimit { Type = type, Hard = 1, Soft = 1 });
        Assert.Equal($"process.rlimits[1].type: unknown rlimit type '{type}'", Invalid(s, "process.rlimits[1].type").Message);
    }

    [Fact]
    public void RlimitSoftGreaterThanHard()
    {
        OciSpec s = Valid();
        s.Process!.Rlimits![0].Soft = 2048;
        Assert.Equal("process.rlimits[0].soft: soft limit is greater than hard limit 1024 '2048'",
            Invalid(s, "process.rlimits[0].soft").Message);
    }

    [Fact]
    public void RlimitSoftEqualHard_AndInfinity_AreFine()
    {
        OciSpec s = Valid();
        s.Process!.Rlimits!.Add(new POSIXRlimit { Type = "RLIMIT_CORE", Hard = Rlimits.Infinity, Soft = Rlimits.Infinity });
        s.Process.Rlimits.Add(new POSIXRlimit { Type = "RLIMIT_NPROC", Hard = Rlimits.Infinity, Soft = 10 });
        SpecValidator.Validate(s);
    }

    [Fact]
    public void DuplicateRlimit()
    {
        OciSpec s = Valid();
        s.Process!.Rlimits!.Add(new POSIXRlimit { Type = "RLIMIT_CPU", Hard = 1, Soft = 1 });
        s.Process.Rlimits.Add(new POSIXRlimit { Type = "RLIMIT_NOFILE", Hard = 10, Soft = 10 });
        Assert.Equal("process.rlimits[2].type: duplicate rlimit type 'RLIMIT_NOFILE'", Invalid(s, "process.rlimits[2].type").Message);
    }

    [Fact]
    public void EveryKnownRlimit_IsAccepted()
    {
        OciSpec s = Valid();
        s.Process!.Rlimits = Rlimits.Table.Keys.Select(k => new POSIXRlimit { Type = k, Hard = 5, Soft = 5 }).ToList();
        SpecValidator.Validate(s);
    }

    [Fact]
    public void TimeOffsetsUnknownClock()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces!.Add(new LinuxNamespace { Type = "time" });
        s.Linux.TimeOffsets = new() { ["monotonic"] = new LinuxTimeOffset { Secs = 1 }, ["realtime"] = new LinuxTimeOffset { Secs = 1 } };
        Assert.Equal("linux.timeOffsets.realtime: unknown clock (want monotonic or boottime) 'realtime'",
            Invalid(s, "linux.timeOffsets.realtime").Message);
    }

    [Fact]
    public void TimeOffsetsWithoutTimeNamespace()
    {
        OciSpec s = Valid();
        s.Linux!.TimeOffsets = new() { ["boottime"] = new LinuxTimeOffset { Secs = 10 } };
        Assert.Equal("linux.timeOffsets: time offsets specified, but no time namespace configured", Invalid(s, "linux.timeOffsets").Message);

        s.Linux.Namespaces!.Add(new LinuxNamespace { Type = "time" });
        SpecValidator.Validate(s);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void EmptySysctlKey(string key)
    {
        OciSpec s = Valid();
        s.Linux!.Sysctl = new() { ["net.ipv4.ip_forward"] = "1", [key] = "1" };
        Assert.Equal($"linux.sysctl: sysctl key must not be empty '{key}'", Invalid(s, "linux.sysctl").Message);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("C")]
    [InlineData("char")]
    public void BadDeviceType(string type)
    {
        OciSpec s = Valid();
        s.Linux!.Devices = [new LinuxDevice { Path = "/dev/null", Type = "c", Major = 1, Minor = 3 }, new LinuxDevice { Path = "/dev/x", Type = type }];
        Assert.Equal($"linux.devices[1].type: unknown device type (want c, b, u or p) '{type}'", Invalid(s, "linux.devices[1].type").Message);
    }

    [Theory]
    [InlineData("dev/null")]
    [InlineData("")]
    public void RelativeDevicePath(string path)
    {
        OciSpec s = Valid();
        s.Linux!.Devices = [new LinuxDevice { Path = path, Type = "c", Major = 1, Minor = 3 }];
        Assert.Equal($"linux.devices[0].path: must be an absolute path '{path}'", Invalid(s, "linux.devices[0].path").Message);
    }

    [Fact]
    public void AllDeviceTypes_AreAccepted()
    {
        OciSpec s = Valid();
        s.Linux!.Devices = new[] { "c", "b", "u", "p" }.Select((t, i) => new LinuxDevice { Path = $"/dev/d{i}", Type = t }).ToList();
        SpecValidator.Validate(s);
    }

    [Fact]
    public void FirstErrorWins_InDocumentOrder()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces![0].Type = "bogus";
        s.Mounts![1].Destination = "rel";
        s.Process!.Cwd = "rel";
        s.Root!.Path = null;
        Invalid(s, "root.path");
        s.Root.Path = "rootfs";
        Invalid(s, "process.cwd");
        s.Process.Cwd = "/";
        Invalid(s, "mounts[1].destination");
        s.Mounts[1].Destination = "/dev";
        Invalid(s, "linux.namespaces[0].type");
    }

    [Fact]
    public void ValidateProcess_WithEmptyPrefix_ForProcessJson()
    {
        var p = new Process { Args = ["sh"], Cwd = "tmp" };
        var e = Assert.Throws<SpecException>(() => SpecValidator.ValidateProcess(p, ""));
        Assert.Equal("cwd: must be an absolute path 'tmp'", e.Message);
        Assert.Equal("cwd", e.Path);

        p.Cwd = "/";
        p.Capabilities = new LinuxCapabilities { Ambient = ["CAP_NOPE"] };
        e = Assert.Throws<SpecException>(() => SpecValidator.ValidateProcess(p, ""));
        Assert.Equal("capabilities.ambient[0]: unknown capability 'CAP_NOPE'", e.Message);

        p.Capabilities = null;
        SpecValidator.ValidateProcess(p, "");
    }

    [Fact]
    public void ValidateNamespacePaths_UsesInjectedExists()
    {
        OciSpec s = Valid();
        s.Linux!.Namespaces![1].Path = "/var/run/netns/present";
        s.Linux.Namespaces[3].Path = "/proc/999999/ns/uts";
        var asked = new List<string>();
        bool Exists(string p)
        {
            asked.Add(p);
            return p.Contains("present", StringComparison.Ordinal);
        }

        var e = Assert.Throws<SpecException>(() => SpecValidator.ValidateNamespacePaths(s, Exists));
        Assert.Equal("linux.namespaces[3].path: namespace path does not exist '/proc/999999/ns/uts'", e.Message);
        Assert.Equal("linux.namespaces[3].path", e.Path);
        Assert.Equal(["/var/run/netns/present", "/proc/999999/ns/uts"], asked);

        s.Linux.Namespaces[3].Path = null;
        SpecValidator.ValidateNamespacePaths(s, Exists);
        SpecValidator.ValidateNamespacePaths(new OciSpec(), _ => false);
    }
}
