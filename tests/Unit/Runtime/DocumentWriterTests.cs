using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Serialization;
using Runcs;
using Runcs.Bootstrap;
using Runcs.Container;
using Xunit;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>What runcs wrote with source generation before, the reference for the hand-written writer.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(StateOutput))]
internal partial class ReferenceIndentedJson : JsonSerializerContext
{
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(List<StateOutput>))]
internal partial class ReferenceJson : JsonSerializerContext
{
}

/// <summary>
/// state.json and the `state` / `list --format json` output, written by hand, are the
/// source-generated output byte for byte: engines parse them, and older runcs builds read state.json.
/// </summary>
[SupportedOSPlatform("linux")]
public class DocumentWriterTests
{
    private static readonly string[] Texts = ["", "c1", "/b/ü€😀", "q\"uote\\", "ctl\u0001\t\n", "+<>&'", "/run/x y"];

    private static ContainerState State(int i) => new()
    {
        Id = Texts[i % Texts.Length],
        InitPid = i * 977,
        InitStartTime = i == 3 ? ulong.MaxValue : (ulong)i * 12345,
        Bundle = Texts[(i + 1) % Texts.Length],
        Rootfs = Texts[(i + 2) % Texts.Length],
        Created = new DateTime(2026, 11, 24, 0, 5, i % 60, DateTimeKind.Utc).AddTicks(i * 1234567),
        Owner = i % 2 == 0 ? "" : "root",
        Annotations = i % 3 == 0 ? null : new() { [Texts[i % Texts.Length] + "k"] = Texts[(i + 3) % Texts.Length], ["n"] = null! },
        Namespaces = i % 4 == 0 ? new() : new()
        {
            ["net"] = new NamespaceRecord { Inode = 4026531840, Device = 4, Origin = "joined", Path = Texts[i % Texts.Length] },
            ["mnt"] = new NamespaceRecord { Inode = (ulong)i, Device = ulong.MaxValue, Origin = "created" },
        },
        CgroupPaths = new() { ["memory"] = "/sys/fs/cgroup/memory/" + Texts[i % Texts.Length] },
        SystemdCgroup = i % 2 == 1,
        StartHooks = i % 3 == 1,
        PoststopHooks = i % 5 == 1,
        Rootless = i % 7 == 1,
    };

    private static StateOutput Output(int i) => new()
    {
        OciVersion = "1.2.0",
        Id = Texts[i % Texts.Length],
        Pid = i * 31,
        Status = i % 2 == 0 ? "running" : "stopped",
        Bundle = Texts[(i + 1) % Texts.Length],
        Rootfs = Texts[(i + 2) % Texts.Length],
        Created = "2026-11-24T00:05:01.1234567Z",
        Owner = "",
        Annotations = i % 3 == 0 ? null : new() { ["a"] = Texts[i % Texts.Length] },
        Namespaces = i % 2 == 0 ? null : State(i).Namespaces,
    };

    [Fact]
    public void StateJson_IsTheGeneratedOutput()
    {
        for (int i = 0; i < 30; i++)
            Assert.Equal(JsonSerializer.Serialize(State(i), ReferenceJson.Default.ContainerState), DocumentWriter.ContainerState(State(i)));
    }

    [Fact]
    public void StateVerbOutput_IsTheGeneratedIndentedOutput()
    {
        for (int i = 0; i < 30; i++)
            Assert.Equal(JsonSerializer.Serialize(Output(i), ReferenceIndentedJson.Default.StateOutput), DocumentWriter.StateOutput(Output(i), indented: true));
    }

    [Fact]
    public void ListOutput_IsTheGeneratedOutput()
    {
        var list = Enumerable.Range(0, 9).Select(Output).ToList();
        Assert.Equal(JsonSerializer.Serialize(list, ReferenceJson.Default.ListStateOutput), DocumentWriter.StateOutputs(list, indented: false));
        Assert.Equal("[]", DocumentWriter.StateOutputs(new List<StateOutput>(), indented: false));
    }

    [Fact]
    public void InitConfig_WithoutProcess_IsTheGeneratedOutput_AndReadsBack()
    {
        for (int i = 0; i < 20; i++)
        {
            var st = State(i);
            var cfg = new InitConfig
            {
                Mode = i % 2 == 0 ? "init" : "exec",
                ContainerId = Texts[i % Texts.Length],
                SpecText = i % 3 == 0 ? null : "{\"ociVersion\": \"1.2.0\", \"x\": \"" + Texts[i % Texts.Length].Replace("\\", "").Replace("\"", "") + "\"}\n",
                Bundle = i % 4 == 0 ? null : Texts[(i + 1) % Texts.Length],
                NoPivot = i % 2 == 1,
                NoNewKeyring = i % 3 == 1,
                PreserveFds = i,
                ConsoleSocketFd = i % 2 == 0 ? -1 : 4,
                FifoFd = 5,
                MemoryTasksFd = i % 3 == 2 ? -1 : 2,
                CgroupTasksFds = i % 3 == 0 ? null : new() { 4, 5, i },
                EnterNamespaces = i % 4 == 1 ? null : new() { ["net"] = 3, ["mnt"] = i },
                CgroupPaths = i % 5 == 0 ? null : st.CgroupPaths,
                MountFds = i % 3 == 0 ? null : new() { -1, 7, i },
                Expect = i % 2 == 0 ? null : st.Namespaces,
            };
            var mine = DocumentWriter.InitConfig(cfg);
            Assert.Equal(JsonSerializer.Serialize(cfg, RuntimeJsonWriter.Default.InitConfig), mine);
            Assert.Equal(JsonSerializer.Serialize(cfg, RuntimeJson.Default.InitConfig),
                JsonSerializer.Serialize(RuntimeJsonReader.TryInitConfig(mine!)!, RuntimeJson.Default.InitConfig));
        }
    }

    [Fact]
    public void InitConfig_WithAProcessOrSeccomp_IsLeftToTheGeneratedWriter()
    {
        Assert.Null(DocumentWriter.InitConfig(new InitConfig { Process = new OciRuntime.Spec.Process() }));
        Assert.Null(DocumentWriter.InitConfig(new InitConfig { Seccomp = new OciRuntime.Spec.LinuxSeccomp() }));
    }
}
