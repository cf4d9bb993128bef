using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// Id-mapped bind mounts (options idmap/ridmap, per-mount uidMappings/gidMappings): the owners
/// the container sees through the mount, where its writes land on the host, and that a plain
/// bind of the same source is not mapped. Expectations are runc's (tests/integration/idmap.bats).
/// </summary>
[Trait("Category", "Integration")]
public sealed class IdmapFidelityTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public IdmapFidelityTests(Runcs rt) => _rt = rt;

    private static JsonArray Map(long containerId, long hostId, long size) =>
        new(new JsonObject { ["containerID"] = containerId, ["hostID"] = hostId, ["size"] = size });

    private static JsonObject MappedBind(string dest, string source, long hostId, params string[] options)
    {
        var m = Mount(dest, "bind", source, options.Length > 0 ? options : new[] { "bind" });
        m["uidMappings"] = Map(0, hostId, 65536);
        m["gidMappings"] = Map(0, hostId, 65536);
        return m;
    }

    /// <summary>A container with its own user namespace (0 → 100000) and a rootfs it owns.</summary>
    private static void WithUserNamespace(Bundle b)
    {
        b.EditConfig(c =>
        {
            var linux = c["linux"]!.AsObject();
            linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user" });
            linux["uidMappings"] = Map(0, 100000, 65536);
            linux["gidMappings"] = Map(0, 100000, 65536);
        });
        HostSh($"chown -R 100000:100000 '{b.Rootfs}'");
    }

    private static HostDir Sources()
    {
        var h = new HostDir("idmap");
        h.WriteFile("src/foo", "");
        h.WriteFile("src/bar", "");
        HostSh($"chown 1:1 '{h.Sub("src/bar")}'");
        return h;
    }

    [Fact]
    public void NoUserNamespace_MountMappings_ShiftOwners_UnmappedWriterGetsEOVERFLOW_PlainBindUnchanged()
    {
        using var h = Sources();
        using var b = Bundle.Create("sh", "-c",
            "stat -c =%n:%u:%g= /m/foo /m/bar /plain/foo; touch /m/new; echo TOUCH_RC=$?; cat /proc/self/mountinfo");
        b.AddMounts(MappedBind("/m", h.Sub("src"), 100000), Mount("/plain", "bind", h.Sub("src"), "bind"));

        var r = _rt.RunForeground(b, "idmap-nous").Ok();

        Assert.Contains("=/m/foo:100000:100000=", r.Stdout);
        Assert.Contains("=/m/bar:100001:100001=", r.Stdout);
        Assert.Contains("=/plain/foo:0:0=", r.Stdout);
        // The container's root (host uid 0) has no id in the mount's mapping: the kernel refuses.
        Assert.Contains("Value too large for defined data type", r.Stderr);
        Assert.DoesNotContain("TOUCH_RC=0", r.Stdout);
        Assert.False(File.Exists(h.Sub("src/new")));
        Assert.Contains("idmapped", Single(ParseMountinfo(r.Stdout), "/m").Options);
        Assert.DoesNotContain("idmapped", Single(ParseMountinfo(r.Stdout), "/plain").Options);
    }

    [Fact]
    public void UserNamespace_IdmapFlag_TakesTheContainersMappings_RootOwnsHostRootFiles_NoFdLeaks()
    {
        using var h = Sources();
        using var b = Bundle.Create("sh", "-c",
            "stat -c =%n:%u:%g= /m/foo /m/bar /plain/foo; touch /m/new && stat -c =%n:%u:%g= /m/new;" +
            " echo FDS=$(ls /proc/self/fd | tr '\\n' ' ')");
        WithUserNamespace(b);
        b.AddMounts(Mount("/m", "bind", h.Sub("src"), "bind", "idmap"), Mount("/plain", "bind", h.Sub("src"), "bind"));

        var r = _rt.RunForeground(b, "idmap-us").Ok();

        Assert.Contains("=/m/foo:0:0=", r.Stdout);
        Assert.Contains("=/m/bar:1:1=", r.Stdout);
        Assert.Contains("=/plain/foo:65534:65534=", r.Stdout); // overflow id: unmapped in the userns
        Assert.Contains("=/m/new:0:0=", r.Stdout);
        // Written through the mapping: on the host the new file belongs to the host's root.
        var st = HostSh($"stat -c %u:%g '{h.Sub("src/new")}'").Trim();
        Assert.Equal("0:0", st);
        // Only stdio and ls's own directory fd: no mount fd or user namespace fd reached the workload.
        Assert.Equal("FDS=0 1 2 3", r.Stdout.Split('\n').Single(l => l.StartsWith("FDS=")));
    }

    [Fact]
    public void Rbind_Idmap_MapsTheTopOnly_Ridmap_MapsEverySubmount()
    {
        using var h = Sources();
        h.WriteFile("sub/baz", "");
        h.MakeDir("src/inner");
        HostSh($"mount --bind '{h.Sub("sub")}' '{h.Sub("src/inner")}'");
        try
        {
            using var b = Bundle.Create("sh", "-c", "stat -c =%n:%u:%g= /top/foo /top/inner/baz /rec/foo /rec/inner/baz");
            b.AddMounts(
                MappedBind("/top", h.Sub("src"), 100000, "rbind", "idmap"),
                MappedBind("/rec", h.Sub("src"), 200000, "rbind", "ridmap"));

            var r = _rt.RunForeground(b, "idmap-rec").Ok();

            Assert.Contains("=/top/foo:100000:100000=", r.Stdout);
            Assert.Contains("=/top/inner/baz:0:0=", r.Stdout);
            Assert.Contains("=/rec/foo:200000:200000=", r.Stdout);
            Assert.Contains("=/rec/inner/baz:200000:200000=", r.Stdout);
        }
        finally
        {
            HostSh($"umount -l '{h.Sub("src/inner")}'");
        }
    }

    [Fact]
    public void JoinedUserNamespace_IdmapFlag_UsesTheJoinedNamespacesMappings()
    {
        using var h = Sources();
        using var owner = Bundle.Create("sleep", "100");
        WithUserNamespace(owner);
        var ownerId = _rt.NewId("idmap-owner");
        _rt.Run("run", "-d", "--bundle", owner.Dir, ownerId).Ok();
        int pid = _rt.Pid(ownerId);

        using var b = Bundle.Create("sh", "-c", "stat -c =%n:%u:%g= /m/foo /m/bar");
        b.EditConfig(c =>
        {
            c["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user", ["path"] = $"/proc/{pid}/ns/user" });
        });
        HostSh($"chown -R 100000:100000 '{b.Rootfs}'");
        b.AddMounts(Mount("/m", "bind", h.Sub("src"), "bind", "idmap"));

        var r = _rt.RunForeground(b, "idmap-join").Ok();

        Assert.Contains("=/m/foo:0:0=", r.Stdout);
        Assert.Contains("=/m/bar:1:1=", r.Stdout);
        _rt.Run("delete", "--force", ownerId).Ok();
    }
}
