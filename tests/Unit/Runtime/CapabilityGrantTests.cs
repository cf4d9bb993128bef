using OciRuntime.Spec;
using Runcs.Init;
using Runcs.Native;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>A capability the host cannot grant fails create, naming it (as runc's "unable to apply caps").</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CapabilityGrantTests
{
    private const int CAP_CHOWN = 0, CAP_NET_RAW = 13, CAP_SYS_RESOURCE = 24;

    [Fact]
    public void AllAskedInPermitted_Passes()
    {
        ulong have = (1UL << CAP_CHOWN) | (1UL << CAP_NET_RAW);
        ProcessSetup.CheckGrantable(new LinuxCapabilities
        {
            Permitted = new() { "CAP_CHOWN", "CAP_NET_RAW" },
            Effective = new() { "CAP_CHOWN" },
            Bounding = new() { "CAP_SYS_RESOURCE" }, // dropping from bounding never needs the capability
        }, have);
        ProcessSetup.CheckGrantable(null, 0);
    }

    [Theory]
    [InlineData("permitted")]
    [InlineData("effective")]
    public void OneMissing_IsNamed(string set)
    {
        var caps = new LinuxCapabilities { Permitted = new() { "CAP_CHOWN" }, Effective = new() { "CAP_CHOWN" } };
        (set == "permitted" ? caps.Permitted : caps.Effective).Add("CAP_SYS_RESOURCE");
        var e = Assert.Throws<RuncsException>(() => ProcessSetup.CheckGrantable(caps, (1UL << CAP_CHOWN) | (1UL << CAP_NET_RAW)));
        Assert.Contains($"process.capabilities.{set}: CAP_SYS_RESOURCE", e.Message);
        Assert.Equal(CAP_SYS_RESOURCE, Capabilities.All["CAP_SYS_RESOURCE"]);
    }
}
