using System.Runtime.Versioning;
using OciRuntime.Spec;
using Runcs.Bootstrap;
using Runcs.Container;
using Runcs.Native;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>The lines create sends the C bootstrap stage (see bootstrap.c's parser).</summary>
[SupportedOSPlatform("linux")]
public class CreateMessageTests
{
    private static LinuxNamespace Ns(string type, string? path = null) => new() { Type = type, Path = path };

    private static OciSpec SpecWith(List<LinuxNamespace> ns, Dictionary<string, LinuxTimeOffset>? offsets = null) =>
        new() { Linux = new Linux { Namespaces = ns, TimeOffsets = offsets } };

    private static string[] Lines(OciSpec spec)
    {
        var req = new Launcher.Request();
        CreateOperation.BuildMessage(req, spec.Linux!.Namespaces!, spec);
        var text = req.Message.ToString();
        Assert.True(text.EndsWith('\n'), "every line ends with a newline");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("runcs-bootstrap 1", lines[0]); // the header: the message is never empty
        return lines[1..];
    }

    [Fact]
    public void DefaultSpecNamespaces()
    {
        // runc spec: pid, network, ipc, uts, mount (+ cgroup in newer versions).
        var lines = Lines(SpecWith(new() { Ns("pid"), Ns("network"), Ns("ipc"), Ns("uts"), Ns("mount"), Ns("cgroup") }));
        // A new cgroup namespace is left to init (made after it is placed in its cgroup); net, ipc,
        // uts and mount are made "late", by stage 1 after the fork, while init's runtime starts.
        int late = 0x40000000 | 0x08000000 | 0x04000000 | 0x00020000;
        Assert.Equal(new[] { "unshare 0x20000000", $"late 0x{late:x}" }, lines);
        Assert.Equal("late 0x4c020000", lines[1]);
    }

    [Fact]
    public void JoinsForPathsAndOneUnshareForTheRest()
    {
        var lines = Lines(SpecWith(new()
        {
            Ns("pid"), Ns("network", "/run/netns/rx1"), Ns("ipc", "/proc/42/ns/ipc"), Ns("uts"), Ns("mount"),
        }));
        Assert.Equal(new[]
        {
            "join net /run/netns/rx1",
            "join ipc /proc/42/ns/ipc",
            "unshare 0x20000000",
            "late 0x4020000",
        }, lines);
    }

    [Fact]
    public void AllJoinedMeansNoUnshare()
    {
        var lines = Lines(SpecWith(new() { Ns("network", "/a"), Ns("mount", "/b"), Ns("user", "/c"), Ns("time", "/d") },
            new() { ["monotonic"] = new LinuxTimeOffset { Secs = 5 } }));
        Assert.Equal(new[] { "join net /a", "join mnt /b", "join user /c", "join time /d" }, lines);
    }

    [Fact]
    public void NoNamespacesOnlyTheHeader()
    {
        // An empty datagram would read as end-of-file in the C stage: the header is always there.
        var req = new Launcher.Request();
        CreateOperation.BuildMessage(req, new List<LinuxNamespace>(), new OciSpec());
        Assert.Equal("runcs-bootstrap 1\n", req.Message.ToString());
    }

    [Fact]
    public void EmptyPathIsCreate()
    {
        Assert.Equal(new[] { "late 0x40000000" }, Lines(SpecWith(new() { Ns("network", "") })));
    }

    [Fact]
    public void UsermapOnlyWhenUserIsCreated()
    {
        var created = Lines(SpecWith(new() { Ns("user"), Ns("mount") }));
        Assert.Equal(new[] { "unshare 0x10000000", "late 0x20000", "usermap" }, created);

        var joined = Lines(SpecWith(new() { Ns("user", "/proc/1/ns/user"), Ns("mount") }));
        Assert.Equal(new[] { "join user /proc/1/ns/user", "late 0x20000" }, joined);
        Assert.DoesNotContain("usermap", joined);

        Assert.DoesNotContain("usermap", Lines(SpecWith(new() { Ns("pid"), Ns("mount") })));
    }

    [Fact]
    public void TimeOffsetsWithANewTimeNamespace()
    {
        var lines = Lines(SpecWith(new() { Ns("time"), Ns("mount") }, new()
        {
            ["monotonic"] = new LinuxTimeOffset { Secs = 86400, Nanosecs = 500 },
            ["boottime"] = new LinuxTimeOffset { Secs = -3600, Nanosecs = 0 },
        }));
        Assert.Equal(new[] { "unshare 0x80", "late 0x20000", "timens monotonic 86400 500", "timens boottime -3600 0" }, lines);
    }

    [Fact]
    public void NewTimeNamespaceWithoutOffsets()
    {
        Assert.Equal(new[] { "unshare 0x80" }, Lines(SpecWith(new() { Ns("time") })));
    }

    [Fact]
    public void OffsetsWithoutANewTimeNamespaceAreNotSent()
    {
        var lines = Lines(SpecWith(new() { Ns("pid") }, new() { ["monotonic"] = new LinuxTimeOffset { Secs = 1 } }));
        Assert.Equal(new[] { "unshare 0x20000000" }, lines);
    }

    [Fact]
    public void UserAndTimeTogether()
    {
        var lines = Lines(SpecWith(new() { Ns("user"), Ns("time"), Ns("pid") },
            new() { ["boottime"] = new LinuxTimeOffset { Secs = 10, Nanosecs = 1 } }));
        Assert.Equal(new[] { "unshare 0x30000080", "usermap", "timens boottime 10 1" }, lines);
    }

    [Fact]
    public void AllEight()
    {
        var all = new List<LinuxNamespace> { Ns("pid"), Ns("network"), Ns("mount"), Ns("ipc"), Ns("uts"), Ns("user"), Ns("cgroup"), Ns("time") };
        Assert.Equal(new[] { "unshare 0x30000080", "late 0x4c020000", "usermap" }, Lines(SpecWith(all)));
    }

    [Fact]
    public void UnshareParsesWithScanfPercentI()
    {
        // bootstrap.c reads "unshare %i" and "late %i": a 0x prefix and hex digits, fitting a signed int.
        var lines = Lines(SpecWith(new() { Ns("network"), Ns("pid"), Ns("user") }));
        foreach (var (line, word) in new[] { (lines[0], "unshare 0x"), (lines[1], "late 0x") })
        {
            Assert.StartsWith(word, line);
            Assert.True(int.TryParse(line[word.Length..], System.Globalization.NumberStyles.HexNumber, null, out var v) && v > 0);
        }
    }

    [Fact]
    public void LateOnlyNetIpcUtsMount_AndTheRequestKnowsThem()
    {
        // bootstrap.c refuses any other type late: the child must start inside user, pid and time.
        var req = new Launcher.Request();
        var all = new List<LinuxNamespace> { Ns("pid"), Ns("network"), Ns("mount"), Ns("ipc"), Ns("uts"), Ns("user"), Ns("cgroup"), Ns("time") };
        CreateOperation.BuildMessage(req, all, SpecWith(all));
        Assert.Equal(0x40000000 | 0x08000000 | 0x04000000 | 0x00020000, req.LateFlags);
        var none = new Launcher.Request();
        CreateOperation.BuildMessage(none, new() { Ns("pid"), Ns("user") }, SpecWith(new()));
        Assert.Equal(0, none.LateFlags);
        Assert.DoesNotContain("late", none.Message.ToString());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("net")]
    [InlineData("")]
    public void UnknownTypeIsAnError(string type)
    {
        var req = new Launcher.Request();
        var ns = new List<LinuxNamespace> { Ns(type) };
        var e = Assert.Throws<RuncsException>(() => CreateOperation.BuildMessage(req, ns, SpecWith(ns)));
        Assert.Contains("unknown type", e.Message);
    }

    [Fact]
    public void NullTypeIsAnError()
    {
        var ns = new List<LinuxNamespace> { new() { Type = null } };
        Assert.Throws<RuncsException>(() => CreateOperation.BuildMessage(new Launcher.Request(), ns, SpecWith(ns)));
    }
}
