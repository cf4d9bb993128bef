using System.Runtime.Versioning;
using System.Text.Json;
using OciRuntime.Spec;
using Runcs;
using Runcs.Bootstrap;
using Runcs.Container;
using Xunit;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// The hand-written readers of state.json and init's configuration against the
/// source-generated path they stand in for: on every document they accept, the result
/// is the same (compared through the source-generated serializer); every document they
/// are not sure of, they refuse (null), so the source-generated path decides.
/// </summary>
[SupportedOSPlatform("linux")]
public class RuntimeJsonReaderTests
{
    private static ContainerState FullState() => new()
    {
        Id = "c1",
        InitPid = 4242,
        InitStartTime = 18446744073709551615UL,
        Bundle = "/b/ü",
        Rootfs = "rootfs",
        Created = new DateTime(2026, 11, 23, 23, 5, 1, 123, DateTimeKind.Utc).AddTicks(4567),
        Owner = "",
        Annotations = new() { ["a"] = "1", ["k\"q"] = "v\n\u00e9+<>" },
        Namespaces = new()
        {
            ["net"] = new NamespaceRecord { Inode = 4026531840, Device = 4, Origin = "joined", Path = "/var/run/netns/x" },
            ["mnt"] = new NamespaceRecord { Inode = 1, Device = 2, Origin = "created" },
        },
        CgroupPaths = new() { ["memory"] = "/sys/fs/cgroup/memory/x", ["v2"] = "/sys/fs/cgroup/unified/x" },
        SystemdCgroup = true,
        StartHooks = true,
        PoststopHooks = false,
        Rootless = true,
    };

    private static InitConfig FullConfig() => new()
    {
        Mode = "exec",
        ContainerId = "c1",
        SpecText = "{\"ociVersion\":\"1.2.0\"}\n",
        Process = new Process
        {
            Args = new() { "sh", "-c", "echo \"hi\"" },
            Env = new() { "PATH=/bin" },
            Cwd = "/",
            Terminal = false,
            User = new User { Uid = 1, Gid = 2, AdditionalGids = new() { 3, 4 } },
            Capabilities = new LinuxCapabilities { Bounding = new() { "CAP_KILL" } },
            Rlimits = new() { new POSIXRlimit { Type = "RLIMIT_NOFILE", Hard = 10, Soft = 5 } },
            NoNewPrivileges = true,
        },
        Bundle = "/b",
        Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = new() { new LinuxSyscall { Names = new() { "read" }, Action = "SCMP_ACT_ALLOW" } },
        },
        NoPivot = true,
        NoNewKeyring = true,
        PreserveFds = 2,
        ConsoleSocketFd = 5,
        FifoFd = 6,
        MemoryTasksFd = 7,
        CgroupTasksFds = new() { 12, 13 },
        EnterNamespaces = new() { ["net"] = 8, ["ipc"] = 9, ["uts"] = 10, ["mnt"] = 11 },
        CgroupPaths = new() { ["pids"] = "/sys/fs/cgroup/pids/x" },
        MountFds = new() { -1, 7, 8 },
        Expect = new() { ["uts"] = new NamespaceRecord { Inode = 5, Device = 6, Origin = "inherited" } },
    };

    private static string Canon(ContainerState s) => JsonSerializer.Serialize(s, RuntimeJson.Default.ContainerState);
    private static string Canon(InitConfig c) => JsonSerializer.Serialize(c, RuntimeJson.Default.InitConfig);

    [Fact]
    public void StateWrittenByEitherSerializerReadsBackTheSame()
    {
        var state = FullState();
        foreach (var json in new[]
                 {
                     DocumentWriter.ContainerState(state),
                     JsonSerializer.Serialize(state, RuntimeJson.Default.ContainerState),
                     DocumentWriter.ContainerState(new ContainerState { Id = "min" }),
                 })
        {
            var fast = RuntimeJsonReader.TryContainerState(json);
            Assert.NotNull(fast);
            Assert.Equal(Canon(JsonSerializer.Deserialize(json, RuntimeJson.Default.ContainerState)!), Canon(fast!));
        }
        Assert.Equal(Canon(state), Canon(RuntimeJsonReader.TryContainerState(DocumentWriter.ContainerState(state))!));
    }

    [Fact]
    public void InitConfigWrittenByEitherSerializerReadsBackTheSame()
    {
        var cfg = FullConfig();
        foreach (var json in new[]
                 {
                     JsonSerializer.Serialize(cfg, RuntimeJsonWriter.Default.InitConfig),
                     JsonSerializer.Serialize(cfg, RuntimeJson.Default.InitConfig),
                     JsonSerializer.Serialize(new InitConfig(), RuntimeJsonWriter.Default.InitConfig),
                 })
        {
            var fast = RuntimeJsonReader.TryInitConfig(json);
            Assert.NotNull(fast);
            Assert.Equal(Canon(JsonSerializer.Deserialize(json, RuntimeJson.Default.InitConfig)!), Canon(fast!));
        }
        Assert.Equal(Canon(cfg), Canon(RuntimeJsonReader.TryInitConfig(JsonSerializer.Serialize(cfg, RuntimeJsonWriter.Default.InitConfig))!));
    }

    [Theory]
    [InlineData("""{"id":"x","extra":{"deep":[1,{"a":null}]},"initPid":3}""")]
    [InlineData("""  {"id":"x"}  """)]
    [InlineData("""{"Id":"x","id":"y","INITPID":"z"}""")]        // names are case-sensitive here: other cases are unknown members
    [InlineData("""{"id":"\u0078","bundle":"\/b"}""")]
    [InlineData("""{"namespaces":{},"cgroupPaths":{},"annotations":null}""")]
    [InlineData("""{"created":"2026-11-23T23:05:01.1234567Z","initStartTime":0}""")]
    public void StateTheReaderAcceptsMatchesTheGeneratedReader(string json)
    {
        var fast = RuntimeJsonReader.TryContainerState(json);
        Assert.NotNull(fast);
        Assert.Equal(Canon(JsonSerializer.Deserialize(json, RuntimeJson.Default.ContainerState)!), Canon(fast!));
    }

    [Theory]
    [InlineData("""{"id":"x","id":"y"}""")]                    // repeated member
    [InlineData("""{"id":null}""")]                            // null into a non-nullable model string
    [InlineData("""{"initPid":"3"}""")]                        // string where a number belongs
    [InlineData("""{"initPid":3.0}""")]
    [InlineData("""{"initPid":4294967296}""")]
    [InlineData("""{"initStartTime":-1}""")]
    [InlineData("""{"systemdCgroup":1}""")]
    [InlineData("""{"annotations":{"a":null}}""")]
    [InlineData("""{"annotations":{"a":"1","a":"2"}}""")]
    [InlineData("""{"cgroupPaths":null}""")]
    [InlineData("""{"namespaces":{"net":{"inode":1,"inode":2}}}""")]
    [InlineData("""{"namespaces":{"net":[]}}""")]
    [InlineData("""{"created":"yesterday"}""")]
    [InlineData("""{"id":"x"} {}""")]                          // trailing document
    [InlineData("""{"id":"x",}""")]                            // trailing comma
    [InlineData("""{"id":"x" /* c */}""")]                     // comment
    [InlineData("""{"id":"x" """)]                             // truncated
    [InlineData("""[]""")]
    [InlineData("""null""")]
    [InlineData("")]
    public void StateTheReaderIsNotSureOfIsLeftToTheGeneratedReader(string json)
    {
        Assert.Null(RuntimeJsonReader.TryContainerState(json));
    }

    [Theory]
    [InlineData("""{"mode":"init","mountFds":[1,"2"]}""")]
    [InlineData("""{"mountFds":[1,2}""")]
    [InlineData("""{"process":[]}""")]
    [InlineData("""{"process":{"args":"sh"}}""")]              // the spec reader refuses: the generated path reports it
    [InlineData("""{"seccomp":{"defaultAction":1}}""")]
    [InlineData("""{"expect":{"uts":{"origin":null}}}""")]
    [InlineData("""{"fifoFd":-2147483649}""")]
    [InlineData("""{"noPivot":"true"}""")]
    public void InitConfigTheReaderIsNotSureOfIsLeftToTheGeneratedReader(string json)
    {
        Assert.Null(RuntimeJsonReader.TryInitConfig(json));
    }

    [Fact]
    public void InitConfigNullsAndUnknownMembers()
    {
        const string json = """{"mode":"init","process":null,"seccomp":null,"mountFds":null,"expect":null,"specText":null,"x":[{}]}""";
        var fast = RuntimeJsonReader.TryInitConfig(json);
        Assert.NotNull(fast);
        Assert.Equal(Canon(JsonSerializer.Deserialize(json, RuntimeJson.Default.InitConfig)!), Canon(fast!));
    }
}
