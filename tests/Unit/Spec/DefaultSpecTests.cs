using OciRuntime.Spec;
using OciSpec = OciRuntime.Spec.Spec;

namespace OciRuntime.Tests.Unit.Spec;

public class DefaultSpecTests
{
    private static string WithVersion(string runcOutput) =>
        runcOutput.Replace("\"ociVersion\": \"1.0.2-dev\"", "\"ociVersion\": \"1.2.0\"", StringComparison.Ordinal);

    [Fact]
    public void Root_MatchesRuncSpecOutput()
    {
        OciSpec s = DefaultSpec.Create(rootless: false);
        Assert.Equal("1.2.0", s.OciVersion);
        Assert.Equal(SpecVersion.Default, s.OciVersion);
        Assert.Equal(WithVersion(Fixtures.RuncSpec), SpecJson.Serialize(s));
    }

    [Fact]
    public void Rootless_MatchesRuncSpecRootlessOutput()
    {
        // The fixture was produced as root, so the mappings point at uid/gid 0.
        Assert.Equal(WithVersion(Fixtures.RuncSpecRootless), SpecJson.Serialize(DefaultSpec.Create(rootless: true)));
    }

    [Fact]
    public void Rootless_MapsRootToTheGivenHostIds()
    {
        OciSpec s = DefaultSpec.Create(rootless: true, hostUid: 1000, hostGid: 1001);
        Assert.Equal(1000u, s.Linux!.UidMappings![0].HostId);
        Assert.Equal(0u, s.Linux.UidMappings[0].ContainerId);
        Assert.Equal(1u, s.Linux.UidMappings[0].Size);
        Assert.Equal(1001u, s.Linux.GidMappings![0].HostId);
        Assert.Null(s.Linux.Resources);
        Assert.DoesNotContain(s.Linux.Namespaces!, n => n.Type == "network");
        Assert.Contains(s.Linux.Namespaces!, n => n.Type == "user");
        Assert.DoesNotContain("gid=5", s.Mounts![2].Options!);
        Assert.Equal("/sys", s.Mounts[5].Source);
        Assert.Contains("rbind", s.Mounts[5].Options!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTripsAndValidates(bool rootless)
    {
        OciSpec s = DefaultSpec.Create(rootless);
        string json = SpecJson.Serialize(s);
        Assert.Equal(json, SpecJson.Serialize(SpecJson.ParseSpec(json)));
        SpecValidator.Validate(s);
        SpecValidator.Validate(SpecJson.ParseSpec(json));
    }

    [Fact]
    public void EachCallReturnsAFreshObject()
    {
        OciSpec a = DefaultSpec.Create(false);
        OciSpec b = DefaultSpec.Create(false);
        Assert.NotSame(a, b);
        a.Process!.Args!.Add("-x");
        a.Process.Capabilities!.Bounding!.Add("CAP_SYS_ADMIN");
        Assert.Equal(["sh"], b.Process!.Args!);
        Assert.Equal(3, b.Process.Capabilities!.Bounding!.Count);
        Assert.Equal(3, a.Process.Capabilities.Effective!.Count);
    }
}
