using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>maskedPaths, readonlyPaths, root.readonly, hostname/domainname and sysctl, seen from inside.</summary>
[Trait("Category", "Integration")]
public sealed class PathsAndKernelFidelityTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public PathsAndKernelFidelityTests(Runcs rt) => _rt = rt;

    [Fact]
    public void MaskedPaths_FileReadsEmpty_DirectoryIsEmpty()
    {
        using var b = Bundle.Create("sh", "-c",
            "echo FILE=$(wc -c < /etc/fid-secret); echo DIR=$(ls -A /opt/fid-secrets | wc -l);" +
            " echo KEYS=$(wc -c < /proc/keys); echo ACPI=$(ls -A /proc/acpi 2>/dev/null | wc -l);" +
            " echo CONTROL=$(cat /etc/fid-visible)");
        File.WriteAllText(b.RootfsPath("etc/fid-secret"), "top secret\n");
        File.WriteAllText(b.RootfsPath("etc/fid-visible"), "visible");
        Directory.CreateDirectory(b.RootfsPath("opt/fid-secrets"));
        File.WriteAllText(b.RootfsPath("opt/fid-secrets/a"), "a");
        File.WriteAllText(b.RootfsPath("opt/fid-secrets/b"), "b");
        b.EditConfig(c =>
        {
            var masked = c["linux"]!["maskedPaths"]!.AsArray();
            masked.Add("/etc/fid-secret");
            masked.Add("/opt/fid-secrets");
        });

        var r = _rt.RunForeground(b, "masked").Ok();

        Assert.Contains("FILE=0\n", r.Stdout);
        Assert.Contains("DIR=0\n", r.Stdout);
        Assert.Contains("KEYS=0\n", r.Stdout); // default maskedPaths: a file masked with /dev/null
        Assert.Contains("ACPI=0\n", r.Stdout);
        Assert.Contains("CONTROL=visible\n", r.Stdout);
        Assert.Equal("top secret\n", File.ReadAllText(b.RootfsPath("etc/fid-secret")));
    }

    [Fact]
    public void ReadonlyPaths_WriteFailsWithReadOnlyFileSystem()
    {
        using var b = Bundle.Create("sh", "-c",
            "echo x > /data/f || echo DATA_FAILED; echo y > /data2/f && echo DATA2_OK;" +
            " echo 1 > /proc/sys/kernel/shmmni || echo PROCSYS_FAILED; true");
        b.Writable();
        Directory.CreateDirectory(b.RootfsPath("data"));
        Directory.CreateDirectory(b.RootfsPath("data2"));
        b.EditConfig(c => c["linux"]!["readonlyPaths"]!.AsArray().Add("/data"));

        var r = _rt.RunForeground(b, "ropaths").Ok();

        Assert.Contains("can't create /data/f: Read-only file system", r.Stderr);
        Assert.Contains("can't create /proc/sys/kernel/shmmni: Read-only file system", r.Stderr);
        Assert.Contains("DATA_FAILED", r.Stdout);
        Assert.Contains("DATA2_OK", r.Stdout);
        Assert.Contains("PROCSYS_FAILED", r.Stdout);
        Assert.False(File.Exists(b.RootfsPath("data/f")));
        Assert.True(File.Exists(b.RootfsPath("data2/f")), "the control write should reach the rootfs");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RootReadonly_ControlsWritesToTheRootfs(bool readOnly)
    {
        using var b = Bundle.Create("sh", "-c",
            "touch /fid-root-file 2>&1 && echo WROTE; awk '$5 == \"/\" { print \"ROOTOPTS=\" $6 }' /proc/self/mountinfo; true");
        b.EditConfig(c => c["root"]!["readonly"] = readOnly);

        var r = _rt.RunForeground(b, "rootro").Ok();

        if (readOnly)
        {
            Assert.Contains("Read-only file system", r.Stdout);
            Assert.DoesNotContain("WROTE", r.Stdout);
            Assert.Matches(@"ROOTOPTS=ro(,|\n)", r.Stdout);
            Assert.False(File.Exists(b.RootfsPath("fid-root-file")));
        }
        else
        {
            Assert.Contains("WROTE", r.Stdout);
            Assert.Matches(@"ROOTOPTS=rw(,|\n)", r.Stdout);
            Assert.True(File.Exists(b.RootfsPath("fid-root-file")));
        }
    }

    [Fact]
    public void HostnameAndDomainname_AreSetInTheUtsNamespace()
    {
        var domainBefore = File.ReadAllText("/proc/sys/kernel/domainname");
        using var b = Bundle.Create("sh", "-c", "echo H=$(hostname); echo D=$(cat /proc/sys/kernel/domainname)");
        b.EditConfig(c =>
        {
            c["hostname"] = "fid-host";
            c["domainname"] = "fid.example";
        });

        var r = _rt.RunForeground(b, "uts").Ok();

        Assert.Contains("H=fid-host\n", r.Stdout);
        Assert.Contains("D=fid.example\n", r.Stdout);
        Assert.Equal(domainBefore, File.ReadAllText("/proc/sys/kernel/domainname"));
        Assert.NotEqual("fid-host\n", File.ReadAllText("/proc/sys/kernel/hostname"));
    }

    /// <summary>
    /// hostname without a UTS namespace would rename the host: runc refuses ("unable to set
    /// hostname without a private UTS namespace"). The runtime runs in a throwaway UTS namespace
    /// (unshare --uts) so that a runtime which does set it cannot rename the real host.
    /// </summary>
    [Fact]
    public void Hostname_WithoutUtsNamespace_IsRefused()
    {
        using var b = Bundle.Create("hostname");
        b.WithoutNamespace("uts");
        b.EditConfig(c => c["hostname"] = "fid-no-uts");
        var id = _rt.NewId("nouts");

        var r = _rt.Run(new RunOptions { Wrapper = ["unshare", "--uts"] }, "create", "--bundle", b.Dir, id);

        r.FailsWithOneLine("hostname");
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)), "no state should be left");
    }

    [Fact]
    public void Sysctl_NetAndIpcKeys_AreWrittenInsideTheNewNamespaces()
    {
        var hostForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward");
        var hostShmmax = File.ReadAllText("/proc/sys/kernel/shmmax");
        using var b = Bundle.Create("sh", "-c",
            "echo FWD=$(cat /proc/sys/net/ipv4/ip_forward); echo SHMMAX=$(cat /proc/sys/kernel/shmmax)");
        b.EditConfig(c => c["linux"]!["sysctl"] = new JsonObject
        {
            ["net.ipv4.ip_forward"] = hostForward.Trim() == "1" ? "0" : "1",
            ["kernel.shmmax"] = "123456789",
        });

        var r = _rt.RunForeground(b, "sysctl").Ok();

        Assert.Contains("FWD=" + (hostForward.Trim() == "1" ? "0" : "1") + "\n", r.Stdout);
        Assert.Contains("SHMMAX=123456789\n", r.Stdout);
        Assert.Equal(hostForward, File.ReadAllText("/proc/sys/net/ipv4/ip_forward"));
        Assert.Equal(hostShmmax, File.ReadAllText("/proc/sys/kernel/shmmax"));
    }
}
