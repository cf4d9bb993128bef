using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using OciRuntime.Spec;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Spec;

public class SpecJsonTests
{
    private static readonly Assembly SpecAssembly = typeof(OciSpec).Assembly;

    // ---- Round trips -------------------------------------------------------------

    [Fact]
    public void FullConfig_RoundTripsByteForByte()
    {
        OciSpec spec = SpecJson.ParseSpec(Fixtures.FullConfig);
        Assert.Equal(Fixtures.FullConfig, SpecJson.Serialize(spec));
    }

    [Fact]
    public void FullConfig_CompactRoundTripIsStable()
    {
        string compact = SpecJson.Serialize(SpecJson.ParseSpec(Fixtures.FullConfig), indent: null);
        Assert.DoesNotContain("\n", compact);
        Assert.Equal(compact, SpecJson.Serialize(SpecJson.ParseSpec(compact), indent: null));
        Assert.Equal(Fixtures.FullConfig, SpecJson.Serialize(SpecJson.ParseSpec(compact)));
    }

    [Fact]
    public void FullConfig_SetsEveryPropertyOfEveryConfigType()
    {
        OciSpec spec = SpecJson.ParseSpec(Fixtures.FullConfig);
        var (seenTypes, unset) = Walk(spec);

        Assert.Empty(unset);
        var expectedTypes = ModelTypes()
            .Where(t => t != typeof(State) && t != typeof(ContainerProcessState))
            .Where(t => t != typeof(Features) && !t.Name.EndsWith("Features", StringComparison.Ordinal))
            .Select(t => t.Name).Order().ToList();
        Assert.Equal(expectedTypes, seenTypes.Select(t => t.Name).Order().ToList());
    }

    [Fact]
    public void FullFeatures_RoundTripsByteForByteAndSetsEveryProperty()
    {
        Features features = SpecJson.ParseFeatures(Fixtures.FullFeatures);
        Assert.Equal(Fixtures.FullFeatures, SpecJson.Serialize(features));

        var (seenTypes, unset) = Walk(features);
        Assert.Empty(unset);
        var expected = ModelTypes().Where(t => t == typeof(Features) || t.Name.EndsWith("Features", StringComparison.Ordinal))
            .Select(t => t.Name).Order().ToList();
        Assert.Equal(expected, seenTypes.Select(t => t.Name).Order().ToList());
    }

    [Fact]
    public void FullConfig_ValuesLandInTheRightProperties()
    {
        OciSpec s = SpecJson.ParseSpec(Fixtures.FullConfig);

        Assert.Equal("1.3.0", s.OciVersion);
        Process p = s.Process!;
        Assert.True(p.Terminal);
        Assert.Equal(24u, p.ConsoleSize!.Height);
        Assert.Equal(80u, p.ConsoleSize.Width);
        Assert.Equal(1000u, p.User!.Uid);
        Assert.Equal(1001u, p.User.Gid);
        Assert.Equal(18u, p.User.Umask);
        Assert.Equal([5u, 6u], p.User.AdditionalGids!);
        Assert.Equal("/work", p.Cwd);
        Assert.Equal(["CAP_SYS_ADMIN"], p.Capabilities!.Inheritable!);
        Assert.Equal(["CAP_NET_RAW"], p.Capabilities.Ambient!);
        Assert.Equal(ulong.MaxValue, p.Rlimits![1].Hard);
        Assert.Equal(0ul, p.Rlimits[1].Soft);
        Assert.Equal(-500, p.OomScoreAdj);
        Assert.Equal("SCHED_DEADLINE", p.Scheduler!.Policy);
        Assert.Equal(-5, p.Scheduler.Nice);
        Assert.Equal(30000000ul, p.Scheduler.Period);
        Assert.Equal("IOPRIO_CLASS_BE", p.IOPriority!.Class);
        Assert.Equal(4, p.IOPriority.Priority);
        Assert.Equal("0-1", p.ExecCPUAffinity!.Initial);
        Assert.Equal("2-3", p.ExecCPUAffinity.Final);

        Assert.Equal(100000u, s.Mounts![0].UidMappings![0].HostId);
        Assert.Equal(200000u, s.Mounts[0].GidMappings![0].HostId);
        Assert.Equal(5, s.Hooks!.Poststop![0].Timeout);
        Assert.Equal("/hooks/createContainer", s.Hooks.CreateContainer![0].Path);

        Linux l = s.Linux!;
        Assert.Equal(65536u, l.GidMappings![1].ContainerId);
        Assert.Equal(300000u, l.GidMappings[1].HostId);
        Assert.Equal(10u, l.GidMappings[1].Size);
        Assert.Equal("1", l.Sysctl!["net.ipv4.ip_forward"]);
        Assert.False(l.Resources!.Devices![0].Allow);
        Assert.Null(l.Resources.Devices[0].Major);
        Assert.Equal(3L, l.Resources.Devices[1].Minor);
        Assert.Equal(-1L, l.Resources.Memory!.Kernel);
        Assert.True(l.Resources.Memory.DisableOOMKiller);
        Assert.False(l.Resources.Memory.UseHierarchy);
        Assert.Equal(10000ul, l.Resources.Cpu!.Burst);
        Assert.Equal(1L, l.Resources.Cpu.Idle);
        Assert.Equal(100L, l.Resources.Pids!.Limit);
        Assert.Equal((ushort)600, l.Resources.BlockIO!.WeightDevice![0].Weight);
        Assert.Equal(8L, l.Resources.BlockIO.WeightDevice[0].Major);
        Assert.Equal(48L, l.Resources.BlockIO.ThrottleWriteIOPSDevice![0].Minor);
        Assert.Equal(2000ul, l.Resources.BlockIO.ThrottleWriteIOPSDevice[0].Rate);
        Assert.Equal("2MB", l.Resources.HugepageLimits![0].PageSize);
        Assert.Equal(1048577u, l.Resources.Network!.ClassID);
        Assert.Equal(10000u, l.Resources.Rdma!["mlx5_1"].HcaObjects);
        Assert.Equal("default 100", l.Resources.Unified!["io.weight"]);
        Assert.Equal("/var/run/netns/neta", l.Namespaces![1].Path);
        Assert.Equal(438u, l.Devices![0].FileMode);
        Assert.Equal("ctr1", l.NetDevices!["eth1"].Name);
        Assert.Null(l.NetDevices["eth2"].Name);
        Assert.Equal(1u, l.Seccomp!.DefaultErrnoRet);
        Assert.Equal(4ul, l.Seccomp.Syscalls![0].Args![0].ValueTwo);
        Assert.Equal("SCMP_CMP_MASKED_EQ", l.Seccomp.Syscalls[0].Args![0].Op);
        Assert.Equal(["L3:0=7f0"], l.IntelRdt!.Schemata!);
        Assert.True(l.IntelRdt.EnableMonitoring);
        Assert.Equal("MPOL_INTERLEAVE", l.MemoryPolicy!.Mode);
        Assert.Equal("0-3,7", l.MemoryPolicy.Nodes);
        Assert.Equal("LINUX32", l.Personality!.Domain);
        Assert.Equal(-3600L, l.TimeOffsets!["boottime"].Secs);
        Assert.Equal(500u, l.TimeOffsets["monotonic"].Nanosecs);

        Assert.Equal(JsonValueKind.Object, s.Windows!.CredentialSpec!.Value.ValueKind);
        Assert.Equal("S-1-5", s.Windows.CredentialSpec.Value.GetProperty("DomainJoinConfig").GetProperty("Sid").GetString());
        Assert.Equal(2, s.Freebsd!.Jail!.EnforceStatfs);
        Assert.Equal([7u, 9u], s.Vm!.Hwconfig!.Irqs!);
    }

    // ---- Naming rules ------------------------------------------------------------

    [Fact]
    public void EveryModelProperty_HasJsonPropertyName()
    {
        var missing = ModelTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (t, p)))
            .Where(x => x.p.GetCustomAttribute<JsonPropertyNameAttribute>() is null)
            .Select(x => $"{x.t.Name}.{x.p.Name}")
            .ToList();
        Assert.Empty(missing);
        Assert.True(ModelTypes().Count() > 60);
    }

    [Fact]
    public void PropertyNames_ArePascalCaseOfJsonNames()
    {
        // Deliberate exceptions required by the callers of this library.
        var exceptions = new HashSet<string> { "ContainerId", "HostId", "IOPriority" };
        var bad = ModelTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => !exceptions.Contains(p.Name))
            .Select(p => (p.Name, Json: p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name))
            .Where(x => x.Name != char.ToUpperInvariant(x.Json[0]) + x.Json[1..])
            .Select(x => $"{x.Name} <- {x.Json}")
            .ToList();
        Assert.Empty(bad);
    }

    [Fact]
    public void ModelProperties_AreNullableExceptGoRequiredScalars()
    {
        // Reference-typed properties must be nullable-annotated so absent JSON stays null.
        var ctx = new NullabilityInfoContext();
        var notNullable = ModelTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => !p.PropertyType.IsValueType && ctx.Create(p).WriteState != NullabilityState.Nullable)
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();
        Assert.Empty(notNullable);
    }

    // ---- Leniency required by the spec -------------------------------------------

    [Fact]
    public void UnknownProperties_AreIgnoredAtEveryLevel()
    {
        const string json = """
            {
              "ociVersion": "1.2.0",
              "futureTopLevel": {"nested": [1, 2, {"x": null}]},
              "process": {"cwd": "/", "args": ["sh"], "futureProcessField": true,
                          "user": {"uid": 1, "gid": 2, "futureUserField": "x"}},
              "root": {"path": "rootfs", "futureRootField": 1.5},
              "linux": {"resources": {"memory": {"limit": 10, "futureMem": 1}, "futureRes": []},
                        "namespaces": [{"type": "pid", "futureNs": "y"}]},
              "org.example.vendorExtension": "ignored"
            }
            """;
        OciSpec s = SpecJson.ParseSpec(json);
        Assert.Equal("1.2.0", s.OciVersion);
        Assert.Equal(1u, s.Process!.User!.Uid);
        Assert.Equal(2u, s.Process.User.Gid);
        Assert.Equal("rootfs", s.Root!.Path);
        Assert.Equal(10L, s.Linux!.Resources!.Memory!.Limit);
        Assert.Equal("pid", s.Linux.Namespaces![0].Type);
        string back = SpecJson.Serialize(s, indent: null);
        Assert.DoesNotContain("future", back);
    }

    [Fact]
    public void Annotations_KeepEveryKeyAndValue()
    {
        const string json = """
            {"ociVersion": "1.2.0", "annotations": {
               "org.opencontainers.image.os": "linux",
               "com.example.unknown/key with spaces": "v1",
               "": "empty key",
               "ünïcödé": "välue+plus",
               "UPPER": "",
               "a.b.c.d.e": "{\"json\":\"in a string\"}"
            }}
            """;
        OciSpec s = SpecJson.ParseSpec(json);
        Assert.Equal(6, s.Annotations!.Count);
        Assert.Equal("v1", s.Annotations["com.example.unknown/key with spaces"]);
        Assert.Equal("empty key", s.Annotations[""]);
        Assert.Equal("välue+plus", s.Annotations["ünïcödé"]);
        Assert.Equal("", s.Annotations["UPPER"]);
        Assert.Equal("{\"json\":\"in a string\"}", s.Annotations["a.b.c.d.e"]);

        OciSpec again = SpecJson.ParseSpec(SpecJson.Serialize(s));
        Assert.Equal(s.Annotations, again.Annotations);
        Assert.Equal(s.Annotations.Keys.ToList(), again.Annotations!.Keys.ToList());
    }

    [Fact]
    public void PropertyNames_MatchCaseInsensitively_LikeGo()
    {
        OciSpec s = SpecJson.ParseSpec("""{"OciVersion": "1.0.0", "ROOT": {"Path": "r"}, "Linux": {"UidMappings": [{"containerid": 0, "HOSTID": 5, "Size": 1}]}}""");
        Assert.Equal("1.0.0", s.OciVersion);
        Assert.Equal("r", s.Root!.Path);
        Assert.Equal(5u, s.Linux!.UidMappings![0].HostId);
    }

    [Fact]
    public void AbsentFields_StayNull()
    {
        OciSpec s = SpecJson.ParseSpec("""{"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"cwd": "/", "args": ["sh"]}, "linux": {}}""");
        Assert.Null(s.Hostname);
        Assert.Null(s.Mounts);
        Assert.Null(s.Hooks);
        Assert.Null(s.Annotations);
        Assert.Null(s.Root!.Readonly);
        Assert.Null(s.Process!.Terminal);
        Assert.Null(s.Process.User);
        Assert.Null(s.Process.Env);
        Assert.Null(s.Process.NoNewPrivileges);
        Assert.Null(s.Process.OomScoreAdj);
        Assert.Null(s.Process.Capabilities);
        Assert.Null(s.Linux!.Namespaces);
        Assert.Null(s.Linux.Resources);
        Assert.Null(s.Linux.TimeOffsets);
        Assert.Null(s.Windows);
        Assert.Equal("""{"ociVersion":"1.2.0","process":{"args":["sh"],"cwd":"/"},"root":{"path":"rootfs"},"linux":{}}""",
            SpecJson.Serialize(s, indent: null));
    }

    [Fact]
    public void NullMembers_AreNotWritten_RequiredScalars_Are()
    {
        var s = new OciSpec
        {
            OciVersion = "1.2.0",
            Process = new Process { User = new User(), Rlimits = [new POSIXRlimit { Type = "RLIMIT_NOFILE" }] },
            Linux = new Linux
            {
                Resources = new LinuxResources { Devices = [new LinuxDeviceCgroup()] },
                UidMappings = [new LinuxIDMapping { Size = 1 }],
                TimeOffsets = new() { ["monotonic"] = new LinuxTimeOffset() },
                Devices = [new LinuxDevice { Path = "/dev/x", Type = "c" }],
            },
        };
        Assert.Equal(
            """{"ociVersion":"1.2.0","process":{"user":{"uid":0,"gid":0},"rlimits":[{"type":"RLIMIT_NOFILE","hard":0,"soft":0}]},"""
            + """ "linux":{"uidMappings":[{"containerID":0,"hostID":0,"size":1}],"resources":{"devices":[{"allow":false}]},""".TrimStart()
            + """ "devices":[{"path":"/dev/x","type":"c","major":0,"minor":0}],"timeOffsets":{"monotonic":{}}}}""".TrimStart(),
            SpecJson.Serialize(s, indent: null));
    }

    [Fact]
    public void Serialize_DoesNotEscapePlusOrNonAscii()
    {
        var s = new OciSpec { OciVersion = "1.2.0", Process = new Process { Env = ["A=b+c", "B=é<&>'"] } };
        string json = SpecJson.Serialize(s, indent: null);
        Assert.Contains("\"A=b+c\"", json);
        Assert.Contains("é", json);
        Assert.Equal("B=é<&>'", SpecJson.ParseSpec(json).Process!.Env![1]);
    }

    [Fact]
    public void Serialize_Indentation()
    {
        var st = new State { OciVersion = "1.2.0", Id = "c1", Status = ContainerStatus.Running, Pid = 42, Bundle = "/b" };
        Assert.Equal("""{"ociVersion":"1.2.0","id":"c1","status":"running","pid":42,"bundle":"/b"}""", SpecJson.Serialize(st));
        Assert.Equal("{\n  \"ociVersion\": \"1.2.0\",\n  \"id\": \"c1\",\n  \"status\": \"running\",\n  \"pid\": 42,\n  \"bundle\": \"/b\"\n}",
            SpecJson.Serialize(st, "  "));
        Assert.Equal("{\n\t\"ociVersion\": \"1.2.0\"\n}", SpecJson.Serialize(new OciSpec { OciVersion = "1.2.0" }));
        Assert.Throws<ArgumentException>(() => SpecJson.Serialize(st, " \t"));
        Assert.Throws<ArgumentException>(() => SpecJson.Serialize(st, "x"));
    }

    // ---- Other documents ---------------------------------------------------------

    [Fact]
    public void RuncSpecOutput_ParsesAndRoundTripsByteForByte()
    {
        OciSpec s = SpecJson.ParseSpec(Fixtures.RuncSpec);
        Assert.Equal("1.0.2-dev", s.OciVersion);
        Assert.True(s.Process!.Terminal);
        Assert.Equal(["sh"], s.Process.Args!);
        Assert.Equal("rootfs", s.Root!.Path);
        Assert.True(s.Root.Readonly);
        Assert.Equal(7, s.Mounts!.Count);
        Assert.Equal("gid=5", s.Mounts[2].Options![5]);
        Assert.Equal(["pid", "network", "ipc", "uts", "mount"], s.Linux!.Namespaces!.Select(n => n.Type!).ToList());
        Assert.Equal("rwm", s.Linux.Resources!.Devices![0].Access);
        Assert.Equal(10, s.Linux.MaskedPaths!.Count);
        Assert.Equal(1024ul, s.Process.Rlimits![0].Soft);
        Assert.Null(s.Process.Capabilities!.Inheritable);

        Assert.Equal(Fixtures.RuncSpec, SpecJson.Serialize(s));
        Assert.Equal(Fixtures.RuncSpecRootless, SpecJson.Serialize(SpecJson.ParseSpec(Fixtures.RuncSpecRootless)));
    }

    [Fact]
    public void ParseProcess_ReadsBareProcessJson()
    {
        Process p = SpecJson.ParseProcess("""
            {"terminal": false, "user": {"uid": 33, "gid": 33, "additionalGids": [4]}, "args": ["ps", "aux"],
             "env": ["X=1"], "cwd": "/tmp", "capabilities": {"bounding": ["CAP_KILL"]},
             "noNewPrivileges": true, "apparmorProfile": "p", "selinuxLabel": "l", "consoleSize": {"height": 1, "width": 2}}
            """);
        Assert.False(p.Terminal);
        Assert.Equal(33u, p.User!.Uid);
        Assert.Equal(["ps", "aux"], p.Args!);
        Assert.Equal("/tmp", p.Cwd);
        Assert.Equal(2u, p.ConsoleSize!.Width);
        Assert.StartsWith("{\n\t\"terminal\": false,", SpecJson.Serialize(p));
    }

    [Fact]
    public void ParseResources_ReadsUpdateDocument()
    {
        LinuxResources r = SpecJson.ParseResources("""
            {"memory": {"limit": 1073741824, "swap": -1}, "cpu": {"shares": 512, "quota": -1, "cpus": "0-1"},
             "pids": {"limit": 50}, "blockIO": {"weight": 100}, "unified": {"memory.max": "max"}}
            """);
        Assert.Equal(1073741824L, r.Memory!.Limit);
        Assert.Equal(-1L, r.Memory.Swap);
        Assert.Equal(-1L, r.Cpu!.Quota);
        Assert.Equal(50L, r.Pids!.Limit);
        Assert.Equal((ushort)100, r.BlockIO!.Weight);
        Assert.Equal("max", r.Unified!["memory.max"]);
        Assert.Equal("""{"memory":{"limit":1073741824,"swap":-1},"cpu":{"shares":512,"quota":-1,"cpus":"0-1"},"pids":{"limit":50},"blockIO":{"weight":100},"unified":{"memory.max":"max"}}""",
            SpecJson.Serialize(r));
    }

    [Fact]
    public void State_RoundTrips_AndOmitsZeroPid()
    {
        State st = SpecJson.ParseState("""{"ociVersion":"1.2.0","id":"abc","status":"stopped","bundle":"/b","annotations":{"k":"v"},"extra":1}""");
        Assert.Equal(0, st.Pid);
        Assert.Equal(ContainerStatus.Stopped, st.Status);
        Assert.Equal("v", st.Annotations!["k"]);
        Assert.Equal("""{"ociVersion":"1.2.0","id":"abc","status":"stopped","bundle":"/b","annotations":{"k":"v"}}""", SpecJson.Serialize(st));
        st.Pid = 7;
        Assert.Contains("\"pid\":7", SpecJson.Serialize(st));
    }

    [Fact]
    public void ContainerProcessState_RoundTrips()
    {
        const string json = """{"ociVersion":"1.2.0","fds":["seccompFd"],"pid":12,"metadata":"m","state":{"ociVersion":"1.2.0","id":"c","status":"creating","pid":12,"bundle":"/b"}}""";
        ContainerProcessState cps = SpecJson.ParseContainerProcessState(json);
        Assert.Equal(ContainerProcessState.SeccompFdName, cps.Fds![0]);
        Assert.Equal(12, cps.State!.Pid);
        Assert.Equal(json, SpecJson.Serialize(cps));
    }

    [Fact]
    public void RuncFeaturesOutput_ParsesAndRoundTripsByteForByte()
    {
        Features f = SpecJson.ParseFeatures(Fixtures.RuncFeatures);
        Assert.Equal("1.0.0", f.OciVersionMin);
        Assert.Contains("createRuntime", f.Hooks!);
        Assert.Contains("CAP_CHOWN", f.Linux!.Capabilities!);
        Assert.True(f.Linux.Cgroup!.V2);
        Assert.True(f.Linux.Seccomp!.Enabled);
        Assert.Equal(Fixtures.RuncFeatures, SpecJson.Serialize(f));
    }

    [Fact]
    public void Features_SerializesWithFourSpaces_AndOmitsUnknownSections()
    {
        var f = new Features { OciVersionMin = "1.0.0", Linux = new LinuxFeatures { Cgroup = new CgroupFeatures { V2 = true } } };
        Assert.Equal("{\n    \"ociVersionMin\": \"1.0.0\",\n    \"linux\": {\n        \"cgroup\": {\n            \"v2\": true\n        }\n    }\n}",
            SpecJson.Serialize(f));
    }

    // ---- Errors ------------------------------------------------------------------

    [Theory]
    [InlineData("{\n  \"ociVersion\": \"1.2.0\",\n  \"root\" {}\n}", 3, 10, "unexpected character '{'")]   // missing colon
    [InlineData("{\"ociVersion\": \"1.2.0\",}", 1, 24, "unexpected character '}'")]                       // trailing comma
    [InlineData("{\n\t\"process\": {\n\t\t\"args\": [\"a\" \"b\"]\n\t}\n}", 3, 16, "unexpected character '\"'")] // missing comma
    [InlineData("{\"a\": 1} x", 1, 10, "unexpected character 'x'")]                                       // trailing data
    [InlineData("{\n\n\n      nope", 4, 7, "unexpected character 'n'")]
    [InlineData("{\"a\": trux}", 1, 10, "unexpected character 'x'")]
    [InlineData("{\"a\": \"unterminated", 1, 20, "unexpected end of input")]
    [InlineData("{\"process\": ", 1, 13, "unexpected end of input")]
    [InlineData("{\"a\": \"x\ny\"}", 1, 9, "unexpected control character U+000A")]
    [InlineData("{\"a\": \"\\q\"}", 1, 9, "unexpected character 'q'")]
    [InlineData("{ // comment\n}", 1, 3, "unexpected character '/'")]                                       // Go rejects comments too
    [InlineData("{\"é\": 1, x}", 1, 10, "unexpected character 'x'")]                                       // columns count characters
    [InlineData("", 1, 1, "empty document")]
    [InlineData("   \n  ", 2, 3, "empty document")]
    public void MalformedJson_ReportsLineColumnAndReason(string json, int line, int column, string reason)
    {
        var e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec(json));
        Assert.Equal($"config.json: invalid JSON at line {line}, column {column}: {reason}", e.Message);
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }

    [Theory]
    [InlineData("{\n  \"linux\": {\n    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"uts\"}, {\"type\": 5}]\n  }\n}",
        "linux.namespaces[2].type", 3, 63, "a string")]
    [InlineData("{\"process\": {\"user\": {\"uid\": -1}}}", "process.user.uid", 1, 30, "a uint32 number")]
    [InlineData("{\"process\": {\"user\": {\"uid\": 4294967296}}}", "process.user.uid", 1, 30, "a uint32 number")]
    [InlineData("{\"process\": {\"user\": {\"umask\": \"022\"}}}", "process.user.umask", 1, 32, "a uint32 number")]
    [InlineData("{\"process\": {\"terminal\": \"yes\"}}", "process.terminal", 1, 26, "a boolean")]
    [InlineData("{\"process\": {\"args\": \"sh\"}}", "process.args", 1, 22, "an array")]
    [InlineData("{\"process\": []}", "process", 1, 13, "an object")]
    [InlineData("{\"annotations\": {\"a\": 1}}", "annotations.a", 1, 23, "a string")]
    [InlineData("{\"ociVersion\": {\"x\": 1}}", "ociVersion", 1, 16, "a string")]
    [InlineData("{\"linux\": {\"resources\": {\"blockIO\": {\"weight\": 70000}}}}", "linux.resources.blockIO.weight", 1, 48, "a uint16 number")]
    [InlineData("{\"linux\": {\"timeOffsets\": {\"monotonic\": {\"secs\": 1.5}}}}", "linux.timeOffsets.monotonic.secs", 1, 50, "an int64 number")]
    [InlineData("{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_CPU\", \"hard\": -5}]}}", "process.rlimits[0].hard", 1, 57, "a uint64 number")]
    public void TypeMismatch_NamesJsonPathLineAndColumn(string json, string path, int line, int column, string expected)
    {
        var e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec(json));
        Assert.Equal(path, e.Path);
        Assert.Equal($"config.json: invalid JSON at line {line}, column {column}: {path}: expected {expected}", e.Message);
        Assert.IsType<JsonException>(e.InnerException);
    }

    [Fact]
    public void TopLevelNonObject_IsRejected()
    {
        var e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("[1, 2]"));
        Assert.Equal("config.json: invalid JSON at line 1, column 1: (document): expected an object", e.Message);
        Assert.Equal("", e.Path);

        e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("null"));
        Assert.Equal("config.json: invalid JSON at line 1, column 1: expected an object, found null", e.Message);
    }

    [Fact]
    public void ErrorMessages_UseTheCallerLabel()
    {
        var e = Assert.Throws<SpecException>(() => SpecJson.ParseProcess("{\"args\": 1}"));
        Assert.StartsWith("process.json: invalid JSON at line 1, column 10: args: expected an array", e.Message);
        e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("{", "/b/config.json"));
        Assert.StartsWith("/b/config.json: invalid JSON at line 1, column 2: ", e.Message);
        e = Assert.Throws<SpecException>(() => SpecJson.ParseResources("{\"memory\": {\"limit\": \"1G\"}}", "-r"));
        Assert.Equal("-r: invalid JSON at line 1, column 22: memory.limit: expected an int64 number", e.Message);
        e = Assert.Throws<SpecException>(() => SpecJson.ParseState("{\"pid\": \"1\"}"));
        Assert.StartsWith("state.json: ", e.Message);
        e = Assert.Throws<SpecException>(() => SpecJson.ParseFeatures("{\"linux\": {\"cgroup\": {\"v2\": 1}}}"));
        Assert.Equal("features: invalid JSON at line 1, column 29: linux.cgroup.v2: expected a boolean", e.Message);
    }

    [Fact]
    public void TypeMismatch_PointsAtValueStartAcrossLines_ColumnsCountCharacters()
    {
        // The reader finishes the array token on line 3; the value starts there too.
        const string json = "{\n  \"hostname\": \"h\",\n  \"domainname\": [\n    1]\n}";
        var e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec(json));
        Assert.Equal("config.json: invalid JSON at line 3, column 17: domainname: expected a string", e.Message);

        e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("{\"ociVersion\": \"é€\", \"hostname\": 1}"));
        Assert.Equal("config.json: invalid JSON at line 1, column 34: hostname: expected a string", e.Message); // 37 if bytes were counted
    }

    [Fact]
    public void TypeMismatch_InsideArraysAndMaps()
    {
        var e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("{\"process\": {\"args\": [\"sh\", 1]}}"));
        Assert.Equal("config.json: invalid JSON at line 1, column 29: process.args[1]: expected a string", e.Message);
        Assert.Equal("process.args[1]", e.Path);

        e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("{\"linux\": {\"resources\": {\"rdma\": {\"mlx\": {\"hcaHandles\": -1}}}}}"));
        Assert.Equal("linux.resources.rdma.mlx.hcaHandles", e.Path);
        Assert.EndsWith(": linux.resources.rdma.mlx.hcaHandles: expected a uint32 number", e.Message);

        e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("{\"annotations\": {\"a.b\": true}}"));
        Assert.Equal("annotations['a.b']", e.Path);
        Assert.EndsWith(": annotations['a.b']: expected a string", e.Message);

        e = Assert.Throws<SpecException>(() => SpecJson.ParseSpec("{\"linux\": {\"timeOffsets\": {\"boottime\": 5}}}"));
        Assert.EndsWith(": linux.timeOffsets.boottime: expected an object", e.Message);
    }

    // ---- helpers -----------------------------------------------------------------

    private static IEnumerable<Type> ModelTypes() =>
        SpecAssembly.GetTypes().Where(t =>
            t.IsClass && !t.IsAbstract && t.IsPublic && t.Namespace == "OciRuntime.Spec"
            && t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null));

    /// <summary>
    /// Walks a parsed object graph; returns the model types met, and the properties
    /// (Type.Property) that were null in every instance met.
    /// </summary>
    private static (HashSet<Type> Types, List<string> Unset) Walk(object root)
    {
        var types = new HashSet<Type>();
        var setProps = new HashSet<string>();
        var allProps = new HashSet<string>();

        void Visit(object? o)
        {
            if (o is null || o is string || o is JsonElement || o.GetType().IsPrimitive)
            {
                return;
            }

            if (o is IDictionary dict)
            {
                foreach (object? v in dict.Values)
                {
                    Visit(v);
                }

                return;
            }

            if (o is IEnumerable list)
            {
                foreach (object? v in list)
                {
                    Visit(v);
                }

                return;
            }

            Type t = o.GetType();
            if (t.Assembly != SpecAssembly)
            {
                return;
            }

            types.Add(t);
            foreach (PropertyInfo p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                string key = $"{t.Name}.{p.Name}";
                allProps.Add(key);
                object? v = p.GetValue(o);
                if (v is not null)
                {
                    setProps.Add(key);
                }

                Visit(v);
            }
        }

        Visit(root);
        return (types, allProps.Except(setProps).Order().ToList());
    }
}
