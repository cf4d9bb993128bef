using OciRuntime.Spec;
using Runcs.Container;
using Runcs.Native;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>Which mounts are id-mapped, through which user namespace, and the errors (runc's rules).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class IdMapPlanTests
{
    private static List<LinuxIDMapping> M(uint c, uint h, uint s) => new() { new LinuxIDMapping { ContainerId = c, HostId = h, Size = s } };

    private static OciRuntime.Spec.Spec S(bool userns = false, string? usernsPath = null, params Mount[] mounts)
    {
        var spec = new OciRuntime.Spec.Spec { Mounts = mounts.ToList(), Linux = new Linux { Namespaces = new() { new LinuxNamespace { Type = "mount" } } } };
        if (userns)
        {
            spec.Linux.Namespaces.Add(new LinuxNamespace { Type = "user", Path = usernsPath });
            if (usernsPath == null) { spec.Linux.UidMappings = M(0, 100000, 65536); spec.Linux.GidMappings = M(0, 200000, 65536); }
        }
        return spec;
    }

    private static Mount Bind(string dest, params string[] opts) => new() { Destination = dest, Type = "bind", Source = "/src" + dest, Options = opts.ToList() };

    [Fact]
    public void PlainMounts_AreNotIdMapped()
    {
        var plan = IdMapPlan.Build(S(true, null, Bind("/a", "bind"), new Mount { Destination = "/proc", Type = "proc", Source = "proc" }));
        Assert.Empty(plan);
    }

    [Fact]
    public void OwnMappings_WithoutTheIdmapOption_MakeAnIdMappedMount_NonRecursive()
    {
        var m = Bind("/a", "rbind");
        m.UidMappings = M(0, 1000, 10);
        m.GidMappings = M(0, 2000, 10);
        var e = Assert.Single(IdMapPlan.Build(S(false, null, Bind("/x", "bind"), m)));
        Assert.Equal(1, e.Index);
        Assert.Equal("/src/a", e.Source);
        Assert.True(e.CloneRecursive);
        Assert.False(e.MapRecursive);
        Assert.Null(e.UsernsPath);
        Assert.Equal("0 1000 10\n", IdMapPlan.Lines(e.UidMappings));
        Assert.Equal("0 2000 10\n", IdMapPlan.Lines(e.GidMappings));
    }

    [Fact]
    public void IdmapOption_WithoutOwnMappings_TakesTheNewUserNamespacesMappings()
    {
        var e = Assert.Single(IdMapPlan.Build(S(true, null, Bind("/a", "bind", "idmap"))));
        Assert.Equal("0 100000 65536\n", IdMapPlan.Lines(e.UidMappings));
        Assert.Equal("0 200000 65536\n", IdMapPlan.Lines(e.GidMappings));
        Assert.Null(e.UsernsPath);
    }

    [Fact]
    public void IdmapOption_WithAJoinedUserNamespace_UsesItsPath()
    {
        var e = Assert.Single(IdMapPlan.Build(S(true, "/proc/7/ns/user", Bind("/a", "bind", "ridmap"))));
        Assert.Equal("/proc/7/ns/user", e.UsernsPath);
        Assert.Null(e.UidMappings);
        Assert.True(e.MapRecursive);
        Assert.Equal("/proc/7/ns/user", e.MappingKey);
    }

    [Fact]
    public void EqualMappings_ShareOneKey_DifferentOnesDoNot()
    {
        var a = Bind("/a", "bind"); a.UidMappings = M(0, 1, 1); a.GidMappings = M(0, 1, 1);
        var b = Bind("/b", "bind"); b.UidMappings = M(0, 1, 1); b.GidMappings = M(0, 1, 1);
        var c = Bind("/c", "bind"); c.UidMappings = M(0, 1, 1); c.GidMappings = M(0, 2, 1);
        var plan = IdMapPlan.Build(S(false, null, a, b, c));
        Assert.Equal(plan[0].MappingKey, plan[1].MappingKey);
        Assert.NotEqual(plan[0].MappingKey, plan[2].MappingKey);
    }

    [Fact]
    public void BindTypeWithoutBindOption_CountsAsBind()
    {
        var m = new Mount { Destination = "/a", Type = "bind", Source = "/s", Options = new() { "idmap" } };
        Assert.Single(IdMapPlan.Build(S(true, null, m)));
    }

    [Theory]
    [InlineData("tmpfs", "only supported for bind mounts")]
    [InlineData("no-userns", "must have both uid and gid mappings")]
    [InlineData("uid-only", "must have both uid and gid mappings")]
    [InlineData("empty-gid", "must have both uid and gid mappings")]
    public void BadIdMappedMounts_NameTheMount(string kind, string message)
    {
        Mount m = kind switch
        {
            "tmpfs" => new Mount { Destination = "/t", Type = "tmpfs", Source = "tmpfs", Options = new() { "idmap" } },
            "no-userns" => Bind("/t", "bind", "idmap"),
            "uid-only" => new Mount { Destination = "/t", Type = "bind", Source = "/s", Options = new() { "bind" }, UidMappings = M(0, 1, 1) },
            _ => new Mount { Destination = "/t", Type = "bind", Source = "/s", Options = new() { "bind" }, UidMappings = M(0, 1, 1), GidMappings = new() },
        };
        var e = Assert.Throws<RuncsException>(() => IdMapPlan.Build(S(kind == "tmpfs", null, Bind("/x", "bind"), m)));
        Assert.StartsWith("mounts[1] (/t): ", e.Message);
        Assert.Contains(message, e.Message);
    }
}
