using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace OciRuntime.Tests.Integration.Namespaces;

/// <summary>Namespaces init joined from a <c>path</c> in config.json.</summary>
[Trait("Category", "Integration")]
public sealed class JoinedNamespaceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Scenario 3: network by path, origin "joined"; after <c>ip netns del X; ip netns add X</c>
    /// (a new namespace at the same path) exec still follows init into the OLD namespace.
    /// </summary>
    [Fact]
    public void NetworkJoinedByPath_ExecFollowsInitNotThePath()
    {
        using var s = new NsScenario(output);
        var netns = s.NewNetns();
        var nsPath = $"/var/run/netns/{netns}";
        var b = s.NewBundle("sleep", "1000");
        b.EditConfig(c =>
        {
            var ns = c["linux"]!["namespaces"]!.AsArray();
            var net = ns.First(n => n!["type"]!.GetValue<string>() == "network")!.AsObject();
            net["path"] = nsPath;
        });
        var id = s.Rt.NewId("ns-joined");

        var pid = s.RunDetached(b, id);
        var oldX = Host.Run("ip", "netns", "exec", netns, "readlink", "/proc/self/ns/net").Ok().Stdout.Trim();
        Assert.Equal(oldX, NsScenario.HostNs(pid, "net"));

        var before = s.AssertExecMatchesInit(id);
        Assert.Equal(oldX, before["net"]);
        Assert.Equal("joined", s.OriginOf(id, "net"));
        Assert.Equal(nsPath, s.NamespacesOf(id)?["net"]?["path"]?.GetValue<string>());

        // A new namespace at the same path.
        Host.Run("ip", "netns", "del", netns).Ok();
        Host.Run("ip", "netns", "add", netns).Ok();
        var newX = Host.Run("ip", "netns", "exec", netns, "readlink", "/proc/self/ns/net").Ok().Stdout.Trim();
        Assert.NotEqual(oldX, newX);

        var after = s.AssertExecMatchesInit(id);
        Assert.Equal(oldX, after["net"]);
        var landed = s.Exec(id, "readlink", "/proc/self/ns/net").Trim();
        Assert.Equal(oldX, landed);
        Assert.NotEqual(newX, landed);
    }
}
