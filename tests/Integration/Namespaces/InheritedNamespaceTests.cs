using OciRuntime.Tests.Integration.Support;
using Xunit.Abstractions;

namespace OciRuntime.Tests.Integration.Namespaces;

/// <summary>
/// Namespaces init did not create and config.json does not list: it inherited them from
/// whoever ran the runtime. runc 1.1.5's exec joins only the listed types and lands in the
/// host's; runcs's exec must land in init's.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InheritedNamespaceTests(ITestOutputHelper output)
{
    /// <summary>Scenario 1: <c>nsenter --net=/var/run/netns/X runcs run -d</c>, no network entry.</summary>
    [Fact]
    public void NetworkInheritedFromNsenter_ExecLandsInX()
    {
        using var s = new NsScenario(output);
        var netns = s.NewNetns();
        var b = s.NewBundle("sleep", "1000");
        NsScenario.RemoveNamespace(b, "network");
        var id = s.Rt.NewId("ns-inh-nsenter");

        s.RunDetached(b, id, new[] { "nsenter", $"--net=/var/run/netns/{netns}" });

        var x = Host.Run("ip", "netns", "exec", netns, "readlink", "/proc/self/ns/net").Ok().Stdout.Trim();
        var hostNet = NsScenario.HostNs(Environment.ProcessId, "net");
        Assert.NotEqual(hostNet, x);

        var init = s.AssertExecMatchesInit(id);
        Assert.Equal(x, init["net"]);
        Assert.Equal(x, s.Exec(id, "readlink", "/proc/self/ns/net").Trim());
        Assert.Equal("inherited", s.OriginOf(id, "net"));
    }

    /// <summary>Scenario 2: <c>ip netns exec X runcs run -d</c> (which also gives the runtime a fresh mount namespace).</summary>
    [Fact]
    public void NetworkInheritedFromIpNetnsExec_ExecLandsInX_AndInitIsInItsCgroup()
    {
        using var s = new NsScenario(output);
        var netns = s.NewNetns();
        var b = s.NewBundle("sleep", "1000");
        NsScenario.RemoveNamespace(b, "network");
        var id = s.Rt.NewId("ns-inh-ipnetns");

        var pid = s.RunDetached(b, id, new[] { "ip", "netns", "exec", netns });

        var x = Host.Run("ip", "netns", "exec", netns, "readlink", "/proc/self/ns/net").Ok().Stdout.Trim();
        Assert.NotEqual(NsScenario.HostNs(Environment.ProcessId, "net"), x);

        var init = s.AssertExecMatchesInit(id);
        Assert.Equal(x, init["net"]);
        Assert.Equal(x, s.Exec(id, "readlink", "/proc/self/ns/net").Trim());
        Assert.Equal("inherited", s.OriginOf(id, "net"));

        // The runtime ran in ip's private mount namespace, yet init is in the container's cgroup.
        var pids = NsScenario.PidsCgroup(pid);
        Assert.Contains(id, pids);
        var self = NsScenario.PidsCgroup(Environment.ProcessId);
        Assert.NotEqual(self, pids);
    }

    /// <summary>Scenario 5: uts and ipc inherited from an <c>unshare --uts --ipc</c> creator that set hostname foo.</summary>
    [Fact]
    public void UtsAndIpcInheritedFromUnshare_ExecLandsInThem()
    {
        using var s = new NsScenario(output);
        var b = s.NewBundle("sleep", "1000");
        NsScenario.RemoveNamespace(b, "uts", "ipc");
        b.EditConfig(c => c.Remove("hostname")); // no private UTS namespace: no hostname to set
        var id = s.Rt.NewId("ns-inh-unshare");

        var hostName = Host.Run("hostname").Ok().Stdout.Trim();
        Assert.NotEqual("foo", hostName);
        var pid = s.RunDetached(b, id, new[] { "unshare", "--uts", "--ipc", "/bin/sh", "-c", "hostname foo && exec \"$@\"", "sh" });

        // The creator's namespaces are neither the host's nor created by init.
        foreach (var t in new[] { "uts", "ipc" })
            Assert.NotEqual(NsScenario.HostNs(Environment.ProcessId, t), NsScenario.HostNs(pid, t));

        s.AssertExecMatchesInit(id);
        Assert.Equal("foo", s.Exec(id, "hostname").Trim());
        Assert.Equal("inherited", s.OriginOf(id, "uts"));
        Assert.Equal("inherited", s.OriginOf(id, "ipc"));
        Assert.Equal(hostName, Host.Run("hostname").Ok().Stdout.Trim());
    }
}
