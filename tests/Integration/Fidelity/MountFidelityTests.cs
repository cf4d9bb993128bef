using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// config.json <c>mounts</c> as the container sees them: options in its /proc/self/mountinfo and
/// the behaviour they promise (noexec, ro, propagation), bind sources resolved as runc does, and
/// destinations that go through symlinks staying inside the rootfs.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MountFidelityTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public MountFidelityTests(Runcs rt) => _rt = rt;

    [Fact]
    public void Tmpfs_SizeModeAndFlags_ShowInMountinfo_AndNoexecStopsAScript()
    {
        using var b = Bundle.Create("sh", "-c",
            "cat /proc/self/mountinfo; echo MODE=$(stat -c %a /scratch);" +
            " printf '#!/bin/sh\\necho RAN-$1\\n' > /scratch/s.sh; chmod 755 /scratch/s.sh;" +
            " /scratch/s.sh noexec 2>&1; echo NOEXEC_RC=$?;" +
            " cp /scratch/s.sh /exec/s.sh; /exec/s.sh control 2>&1; echo EXEC_RC=$?");
        b.AddMounts(
            Mount("/scratch", "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "size=2m", "mode=1770"),
            Mount("/exec", "tmpfs", "tmpfs", "mode=755"));

        var r = _rt.RunForeground(b, "tmpfs").Ok();

        var m = Single(ParseMountinfo(r.Stdout), "/scratch");
        Assert.Equal("tmpfs", m.FsType);
        Assert.Contains("nosuid", m.Options);
        Assert.Contains("nodev", m.Options);
        Assert.Contains("noexec", m.Options);
        Assert.Contains("size=2048k", m.SuperOptions);
        Assert.Contains("mode=1770", m.SuperOptions);
        Assert.Contains("MODE=1770", r.Stdout);

        // The script on the noexec tmpfs does not run (EACCES, sh exits 126); the same script
        // on a tmpfs without noexec does.
        Assert.Contains("NOEXEC_RC=126", r.Stdout);
        Assert.Contains("Permission denied", r.Stdout);
        Assert.DoesNotContain("RAN-noexec", r.Stdout);
        Assert.Contains("RAN-control", r.Stdout);
        Assert.Contains("EXEC_RC=0", r.Stdout);
        var control = Single(ParseMountinfo(r.Stdout), "/exec");
        Assert.DoesNotContain("noexec", control.Options);
    }

    [Fact]
    public void BindMount_ReadOnly_FailsWithEROFS_ReadWrite_IsSeenOnTheHost()
    {
        using var h = new HostDir("bind");
        h.WriteFile("ro/f", "rodata");
        h.MakeDir("rw");
        using var b = Bundle.Create("sh", "-c",
            "cat /ro/f; echo; echo x > /ro/new || echo RO_WRITE_FAILED;" +
            " echo fromcontainer > /rw/new && echo RW_WRITE_OK; cat /proc/self/mountinfo");
        b.AddMounts(
            Mount("/ro", "bind", h.Sub("ro"), "bind", "ro"),
            Mount("/rw", "none", h.Sub("rw"), "rbind", "rw"));

        var r = _rt.RunForeground(b, "bind").Ok();

        Assert.Contains("rodata", r.Stdout);
        Assert.Contains("Read-only file system", r.Stderr);
        Assert.Contains("RO_WRITE_FAILED", r.Stdout);
        Assert.Contains("RW_WRITE_OK", r.Stdout);
        Assert.False(File.Exists(h.Sub("ro/new")), "a write through the ro bind reached the host");
        Assert.Equal("fromcontainer\n", File.ReadAllText(h.Sub("rw/new")));

        var mounts = ParseMountinfo(r.Stdout);
        Assert.Equal("ro", Single(mounts, "/ro").Options[0]);
        Assert.Equal("rw", Single(mounts, "/rw").Options[0]);
    }

    [Fact]
    public void Rbind_CarriesSubmounts_PlainBind_DoesNot()
    {
        using var h = new HostDir("rbind");
        h.MakeDir("src");
        h.MountOnHost("src/sub", "fidrbind");
        h.WriteFile("src/sub/inner", "innerdata");
        using var b = Bundle.Create("sh", "-c",
            "echo R=$(cat /r/sub/inner 2>&1); echo B=$(ls -A /b/sub | wc -l); cat /proc/self/mountinfo");
        b.AddMounts(
            Mount("/r", "bind", h.Sub("src"), "rbind"),
            Mount("/b", "bind", h.Sub("src"), "bind"));

        var r = _rt.RunForeground(b, "rbind").Ok();

        Assert.Contains("R=innerdata", r.Stdout);
        Assert.Contains("B=0", r.Stdout);
        var mounts = ParseMountinfo(r.Stdout);
        Assert.Equal("tmpfs", Single(mounts, "/r/sub").FsType);
        Assert.DoesNotContain(mounts, m => m.MountPoint == "/b/sub");
    }

    /// <summary>rro (runc 1.1: mount_setattr AT_RECURSIVE): the bind and every submount under it are read-only.</summary>
    [Fact]
    public void Rro_MakesSubmountsReadOnlyToo()
    {
        using var h = new HostDir("rro");
        h.MakeDir("src");
        h.MountOnHost("src/sub", "fidrro");
        using var b = Bundle.Create("sh", "-c",
            "touch /r/top 2>&1 || echo TOP_RO; touch /r/sub/inner 2>&1 || echo SUB_RO; cat /proc/self/mountinfo");
        b.AddMounts(Mount("/r", "bind", h.Sub("src"), "rbind", "rro"));

        var r = _rt.RunForeground(b, "rro").Ok();

        Assert.Contains("TOP_RO", r.Stdout);
        Assert.Contains("SUB_RO", r.Stdout);
        var mounts = ParseMountinfo(r.Stdout);
        Assert.Equal("ro", Single(mounts, "/r").Options[0]);
        Assert.Equal("ro", Single(mounts, "/r/sub").Options[0]);
        Assert.False(File.Exists(h.Sub("src/sub/inner")));
    }

    /// <summary>tmpcopyup: the tmpfs starts with a copy of what the rootfs had at the mountpoint (runc).</summary>
    [Fact]
    public void Tmpcopyup_TmpfsStartsWithTheUnderlyingContent()
    {
        using var b = Bundle.Create("sh", "-c", "cat /etc/fid-tc/underlying; echo new > /etc/fid-tc/added && echo ADDED");
        Directory.CreateDirectory(b.RootfsPath("etc/fid-tc"));
        File.WriteAllText(b.RootfsPath("etc/fid-tc/underlying"), "from-rootfs\n");
        b.AddMounts(Mount("/etc/fid-tc", "tmpfs", "tmpfs", "tmpcopyup", "size=1m"));

        var r = _rt.RunForeground(b, "tmpcopyup").Ok();

        Assert.Contains("from-rootfs\n", r.Stdout);
        Assert.Contains("ADDED", r.Stdout); // the tmpfs is writable although root.readonly is true
        Assert.False(File.Exists(b.RootfsPath("etc/fid-tc/added")), "the write must land in the tmpfs");
    }

    /// <summary>
    /// The source is a shared tmpfs on the host. rslave shows "master:N" and receives a mount made
    /// on the host after start; rprivate shows no peer group and receives nothing; rshared shows "shared:N".
    /// </summary>
    [Fact]
    public void BindPropagation_RslaveRprivateRshared_InMountinfoAndBehaviour()
    {
        using var h = new HostDir("prop");
        var shared = h.MountOnHost("shared", "fidprop");
        HostSh($"mount --make-shared {Runcs.Quote(shared)}");
        using var b = Bundle.Create("sleep", "1000");
        b.AddMounts(
            Mount("/slave", "bind", shared, "rbind", "rslave"),
            Mount("/private", "bind", shared, "rbind", "rprivate"),
            Mount("/sharedm", "bind", shared, "rbind", "rshared"));
        var id = _rt.NewId("prop");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();

        // A mount made on the host after the container started.
        h.MountOnHost("shared/late", "fidlate");
        h.WriteFile("shared/late/marker", "late");

        var r = _rt.Run("exec", id, "sh", "-c",
            "cat /proc/self/mountinfo; echo SLAVE=$(cat /slave/late/marker 2>/dev/null); echo PRIVATE=$(cat /private/late/marker 2>/dev/null)").Ok();
        _rt.Run("delete", "--force", id).Ok();

        var mounts = ParseMountinfo(r.Stdout);
        var slave = Single(mounts, "/slave");
        Assert.True(slave.Optional.Any(o => o.StartsWith("master:")) && !slave.Optional.Any(o => o.StartsWith("shared:")),
            "rslave: expected master:N and no shared:N, got " + slave);
        var priv = Single(mounts, "/private");
        Assert.True(priv.Optional.Length == 0, "rprivate: expected no propagation fields, got " + priv);
        var sh = Single(mounts, "/sharedm");
        Assert.True(sh.Optional.Any(o => o.StartsWith("shared:")), "rshared: expected shared:N, got " + sh);

        Assert.Contains("SLAVE=late", r.Stdout);
        Assert.Contains("PRIVATE=\n", r.Stdout);
        Assert.Contains(mounts, m => m.MountPoint == "/slave/late");
        Assert.DoesNotContain(mounts, m => m.MountPoint == "/private/late");
    }

    [Fact]
    public void FileBindMount_MountpointIsCreatedAsAFile()
    {
        using var h = new HostDir("filebind");
        var src = h.WriteFile("hostfile", "filedata");
        using var b = Bundle.Create("sh", "-c",
            "cat /opt/deep/fid-file; echo; [ -f /opt/deep/fid-file ] && echo ISFILE; [ -d /opt/deep/fid-file ] && echo ISDIR; true");
        b.AddMounts(Mount("/opt/deep/fid-file", "bind", src, "bind", "ro"));

        var r = _rt.RunForeground(b, "filebind").Ok();

        Assert.Contains("filedata", r.Stdout);
        Assert.Contains("ISFILE", r.Stdout);
        Assert.DoesNotContain("ISDIR", r.Stdout);
        var mp = b.RootfsPath("opt/deep/fid-file");
        Assert.True(File.Exists(mp) && !Directory.Exists(mp), $"{mp} should have been created as a regular file");
        Assert.Equal("filedata", File.ReadAllText(src));
    }

    /// <summary>A relative source is relative to the bundle (runc chdirs there), not the caller's cwd.</summary>
    [Fact]
    public void RelativeBindSource_IsResolvedAgainstTheBundle()
    {
        using var b = Bundle.Create("cat", "/rel/f");
        Directory.CreateDirectory(Path.Combine(b.Dir, "hostdata"));
        File.WriteAllText(Path.Combine(b.Dir, "hostdata", "f"), "reldata");
        b.AddMounts(Mount("/rel", "bind", "hostdata", "bind", "ro"));

        var r = _rt.RunForeground(b, "relbind", new RunOptions { Cwd = "/" }).Ok();

        Assert.Equal("reldata", r.Stdout);
    }

    /// <summary>
    /// rootfs/mnt -> / and rootfs/mnt2 -> ../../../../: tmpfs mounts on /mnt/escape and
    /// /mnt2/escape resolve inside the rootfs (to its /escape), never on the host's /escape.
    /// Likewise a file bind mount whose destination is rootfs/etc/fid-link -> /tmp/NAME: the
    /// mountpoint file is created as rootfs/tmp/NAME, not on the host.
    /// </summary>
    [Fact]
    public void MountDestinationThroughSymlinks_StaysInsideTheRootfs()
    {
        Assert.False(Path.Exists("/escape"), "precondition: the host has no /escape");
        var linkTarget = "/tmp/runcs-fid-escape-" + Guid.NewGuid().ToString("N")[..10];
        using var h = new HostDir("escsrc");
        var src = h.WriteFile("src", "bound-through-link");
        using var b = Bundle.Create("sh", "-c",
            "echo N=$(grep -c ' /escape ' /proc/self/mountinfo); echo one > /mnt/escape/m1 && echo two > /mnt2/escape/m2 && ls /escape;" +
            $" echo L=$(cat {linkTarget})");
        File.CreateSymbolicLink(b.RootfsPath("mnt"), "/");
        File.CreateSymbolicLink(b.RootfsPath("mnt2"), "../../../../");
        File.CreateSymbolicLink(b.RootfsPath("etc/fid-link"), linkTarget);
        b.AddMounts(
            Mount("/mnt/escape", "tmpfs", "tmpfs", "size=1m"),
            Mount("/mnt2/escape", "tmpfs", "tmpfs", "size=1m"),
            Mount("/etc/fid-link", "bind", src, "bind", "ro"));
        var before = HostMounts();

        var r = _rt.RunForeground(b, "escape");
        var after = HostMounts();

        var escaped = Path.Exists(linkTarget);
        if (escaped) File.Delete(linkTarget);
        Assert.False(Path.Exists("/escape"), "a mount destination escaped the rootfs: /escape exists on the host\n" + r);
        Assert.False(escaped, $"a file mountpoint was created on the host at {linkTarget}\n" + r);
        Assert.DoesNotContain(after.Values, m => m.MountPoint == "/escape" || m.MountPoint.EndsWith("/escape", StringComparison.Ordinal));
        // Mounts under /tmp and /run belong to tests running concurrently; anything else is new.
        var added = after.Values.Where(m => !before.ContainsKey(m.Id)
                                            && !m.MountPoint.StartsWith("/tmp/", StringComparison.Ordinal)
                                            && !m.MountPoint.StartsWith("/run/", StringComparison.Ordinal)).ToList();
        Assert.True(added.Count == 0, "the host mount table changed: " + string.Join("; ", added));

        r.Ok();
        Assert.Contains("N=2", r.Stdout);
        Assert.Contains("m1", r.Stdout);
        Assert.Contains("m2", r.Stdout);
        Assert.Contains("L=bound-through-link", r.Stdout);
        Assert.True(Directory.Exists(b.RootfsPath("escape")), "the mountpoint should have been created as <rootfs>/escape");
        Assert.True(File.Exists(b.RootfsPath(linkTarget)), "the file mountpoint should have been created inside the rootfs");
        Assert.True(new FileInfo(b.RootfsPath("mnt")).LinkTarget == "/", "the symlink itself must be left alone");
    }
}
