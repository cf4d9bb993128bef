using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>/dev inside the container: runc's default nodes and links, linux.devices, and the device cgroup.</summary>
[Trait("Category", "Integration")]
public sealed class DeviceFidelityTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public DeviceFidelityTests(Runcs rt) => _rt = rt;

    [Fact]
    public void DefaultDevices_HaveRuncsNumbersModesAndLinks()
    {
        using var b = Bundle.Create("sh", "-c",
            "for d in null zero full random urandom tty; do stat -c '%n %F %t:%T %a' /dev/$d; done;" +
            " for l in ptmx fd stdin stdout stderr; do echo \"$l -> $(readlink /dev/$l)\"; done;" +
            " echo hello > /dev/null && echo NULL_OK; echo Z=$(head -c 4 /dev/zero | od -An -tx1);" +
            " echo x 2>&1 > /dev/full; echo R=$(head -c 8 /dev/urandom | wc -c)");

        var r = _rt.RunForeground(b, "devs", new RunOptions { Stdin = "" });

        var o = r.Stdout + r.Stderr;
        r.Ok();
        foreach (var line in new[]
                 {
                     "/dev/null character special file 1:3 666",
                     "/dev/zero character special file 1:5 666",
                     "/dev/full character special file 1:7 666",
                     "/dev/random character special file 1:8 666",
                     "/dev/urandom character special file 1:9 666",
                     "/dev/tty character special file 5:0 666",
                     "ptmx -> pts/ptmx",
                     "fd -> /proc/self/fd",
                     "stdin -> /proc/self/fd/0",
                     "stdout -> /proc/self/fd/1",
                     "stderr -> /proc/self/fd/2",
                     "NULL_OK",
                     "Z= 00 00 00 00",
                     "R=8",
                 })
            Assert.Contains(line + "\n", r.Stdout);
        Assert.Contains("No space left on device", o);
    }

    /// <summary>
    /// No linux.resources at all: the device cgroup is still runc's whitelist (deny all, then
    /// the default devices), not the host's allow-all; a node made in the rootfs for the host's
    /// disk cannot be read.
    /// </summary>
    [Fact]
    public void NoDeviceRules_StillAWhitelist_HostDiskNodeUnreadable()
    {
        if (!Directory.Exists("/sys/fs/cgroup/devices")) return; // v1 only; the v2 lane checks the eBPF program
        using var b = Bundle.Create("sh", "-c",
            "mknod /tmp/disk b 254 0 2>/dev/null || mknod /tmp/disk b 8 0; cat /sys/fs/cgroup/devices/devices.list;" +
            " head -c 1 /tmp/disk > /dev/null 2>&1 && echo DISK_READ || echo DISK_DENIED").Writable();
        b.EditConfig(c => c["linux"]!.AsObject().Remove("resources"));

        var r = _rt.RunForeground(b, "nodevrules").Ok();

        Assert.DoesNotContain("a *:* rwm", r.Stdout);
        Assert.Contains("c 1:3 rwm", r.Stdout);
        Assert.Contains("DISK_DENIED", r.Stdout);
    }

    /// <summary>A linux.devices entry: the node has the type, numbers, fileMode, uid and gid asked for.</summary>
    [Fact]
    public void LinuxDevices_NodeHasTypeNumbersModeAndOwner()
    {
        using var b = Bundle.Create("sh", "-c",
            "stat -c '%n %F %t:%T %a %u:%g' /dev/fidzero; echo Z=$(head -c 2 /dev/fidzero | od -An -tx1)");
        b.EditConfig(c =>
        {
            c["process"]!["user"] = new JsonObject { ["uid"] = 1234, ["gid"] = 5678 };
            c["linux"]!["devices"] = new JsonArray(new JsonObject
            {
                ["path"] = "/dev/fidzero", ["type"] = "c", ["major"] = 1, ["minor"] = 5,
                ["fileMode"] = Convert.ToInt32("640", 8), ["uid"] = 1234, ["gid"] = 5678,
            });
        });

        var r = _rt.RunForeground(b, "lindev").Ok();

        Assert.Contains("/dev/fidzero character special file 1:5 640 1234:5678\n", r.Stdout);
        // The owner (the container user) can read it: the node really is 1:5.
        Assert.Contains("Z= 00 00\n", r.Stdout);
    }

    /// <summary>
    /// runc's default rules: deny all, then "c *:* m", "b *:* m" and the default nodes. mknod of
    /// any node works, opening 1:3 works, opening 10:229 (fuse, no capability needed) is EPERM
    /// — until a rule allows it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeviceCgroup_MknodAllowed_OpenOfUnlistedDeviceIsEPERM(bool allowFuse)
    {
        using var b = Bundle.Create("sh", "-c",
            "mknod /dev/fidnull c 1 3 && echo MKNOD_OK; echo hi > /dev/fidnull && echo NULL_OPEN_OK;" +
            " mknod /dev/fidloop b 7 0 && echo MKNOD_BLOCK_OK;" +
            " mknod /dev/fidfuse c 10 229 && echo MKNOD_FUSE_OK; true < /dev/fidfuse && echo FUSE_OPEN_OK; true");
        b.EditConfig(c =>
        {
            var caps = c["process"]!["capabilities"]!.AsObject();
            foreach (var set in new[] { "bounding", "effective", "permitted" })
                caps[set]!.AsArray().Add("CAP_MKNOD");
            if (allowFuse)
                c["linux"]!["resources"]!["devices"]!.AsArray().Add(new JsonObject
                {
                    ["allow"] = true, ["type"] = "c", ["major"] = 10, ["minor"] = 229, ["access"] = "rw",
                });
        });

        var r = _rt.RunForeground(b, "devcg");

        var o = r.Stdout + r.Stderr;
        r.Ok();
        Assert.Contains("MKNOD_OK", o);
        Assert.Contains("NULL_OPEN_OK", o);
        Assert.Contains("MKNOD_BLOCK_OK", o);
        Assert.Contains("MKNOD_FUSE_OK", o);
        if (allowFuse)
        {
            Assert.Contains("FUSE_OPEN_OK", o);
        }
        else
        {
            Assert.DoesNotContain("FUSE_OPEN_OK", o);
            Assert.Contains("can't open /dev/fidfuse: Operation not permitted", o);
        }
    }
}
