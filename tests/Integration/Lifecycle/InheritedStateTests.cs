using System.Diagnostics;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>
/// What the caller's process leaks into runcs (cwd, fds, signal mask and dispositions) must
/// not reach the container.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InheritedStateTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public InheritedStateTests(Runcs rt) => _rt = rt;

    [Fact]
    public void RelativeRootPath_ResolvedAgainstBundle_NotCwd()
    {
        using var b = Bundle.Create("cat", "/marker.txt");
        Assert.Equal("rootfs", b.ReadConfig()["root"]!["path"]!.GetValue<string>());
        var marker = "bundle-rootfs-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(b.RootfsPath("marker.txt"), marker + "\n");
        // A decoy "rootfs" in the cwd that must not be used.
        var decoy = Path.Combine("/tmp", "runcs-it-cwd-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(decoy, "rootfs"));
        try
        {
            var id = _rt.NewId("relroot");
            var r = _rt.Run(new RunOptions { Cwd = decoy }, "run", "--bundle", b.Dir, id).Ok();
            Assert.Equal(marker, r.Stdout.Trim());
        }
        finally
        {
            Directory.Delete(decoy, recursive: true);
        }
    }

    [Fact]
    public void RelativeBundleArgument_Works()
    {
        using var b = Bundle.Create("cat", "/marker.txt");
        File.WriteAllText(b.RootfsPath("marker.txt"), "rel-bundle\n");
        var id = _rt.NewId("relbundle");
        var r = _rt.Run(new RunOptions { Cwd = Path.GetDirectoryName(b.Dir) }, "run", "--bundle", Path.GetFileName(b.Dir), id).Ok();
        Assert.Equal("rel-bundle", r.Stdout.Trim());
    }

    private static string[] FdList(string output) =>
        output.Split("---")[0].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void StrayInheritedFds_DoNotReachContainer()
    {
        using var b = Bundle.Create("sh", "-c", "ls /proc/self/fd");
        var id = _rt.NewId("strayfd");
        // fd 3 like containerd's shim leaks its socket, and a high one; neither is CLOEXEC.
        var leak = new RunOptions { ShellPrefix = "exec 3</etc/hostname 7</etc/hostname 42</etc/passwd;" };
        var c = _rt.Run(leak, "create", "--bundle", b.Dir, id).Ok();
        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        // ls itself opens one fd (3) for the directory it lists.
        Assert.Equal(["0", "1", "2", "3"], FdList(c.ReadStdout()));
        _rt.Run("delete", id).Ok();
    }

    [Fact]
    public void StrayInheritedFds_Run_DoNotReachContainer()
    {
        using var b = Bundle.Create("sh", "-c", "ls /proc/self/fd");
        var id = _rt.NewId("strayrun");
        var r = _rt.Run(new RunOptions { ShellPrefix = "exec 5</etc/hostname 9</etc/hostname;" }, "run", "--bundle", b.Dir, id).Ok();
        Assert.Equal(["0", "1", "2", "3"], FdList(r.Stdout));
    }

    [Fact]
    public void PreserveFds_PassesFd3Through_AndNothingElse()
    {
        using var b = Bundle.Create("sh", "-c", "ls /proc/self/fd; echo ---; cat <&3");
        var id = _rt.NewId("preserve");
        var content = "preserved-" + Guid.NewGuid().ToString("N");
        var src = Path.Combine(b.Dir, "fd3.txt");
        File.WriteAllText(src, content + "\n");
        var leak = new RunOptions { ShellPrefix = $"exec 3<{Runcs.Quote(src)} 4</etc/hostname 8</etc/hostname;" };
        var c = _rt.Run(leak, "create", "--preserve-fds", "1", "--bundle", b.Dir, id).Ok();
        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        var output = c.ReadStdout();
        // 0-2, the preserved 3, and ls's own directory fd (4).
        Assert.Equal(["0", "1", "2", "3", "4"], FdList(output));
        Assert.Equal(content, output.Split("---")[1].Trim());
        _rt.Run("delete", id).Ok();
    }

    [Fact]
    public void SignalMaskAndDispositions_AreReset()
    {
        const string perlBlock =
            "use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1, SIGTERM, SIGINT, SIGCHLD)) or die; exec @ARGV or die";
        const string ignore = "trap \"\" PIPE INT HUP USR2;";

        // Sanity: the same wrapper really does block and ignore signals (the test can fail).
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", ignore + " exec \"$@\"", "x", "perl", "-e", perlBlock, "grep", "-E", "SigBlk|SigIgn", "/proc/self/status" })
            psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            var host = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Contains("SigBlk:\t0000000000014202", host);
            Assert.DoesNotContain("SigIgn:\t0000000000000000", host);
        }

        using var b = Bundle.Create("grep", "-E", "SigBlk|SigIgn", "/proc/self/status");
        var id = _rt.NewId("sigmask");
        var r = _rt.Run(new RunOptions { ShellPrefix = ignore, Wrapper = ["perl", "-e", perlBlock] },
            "run", "--bundle", b.Dir, id).Ok();
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"], lines);
    }

    [Fact]
    public void SignalMask_IsReset_ForCreateStart()
    {
        const string perlBlock = "use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1, SIGTERM)) or die; exec @ARGV or die";
        using var b = Bundle.Create("grep", "-E", "SigBlk|SigIgn", "/proc/self/status");
        var id = _rt.NewId("sigcs");
        var c = _rt.Run(new RunOptions { ShellPrefix = "trap \"\" PIPE;", Wrapper = ["perl", "-e", perlBlock] },
            "create", "--bundle", b.Dir, id).Ok();
        _rt.Run(new RunOptions { ShellPrefix = "trap \"\" PIPE TERM;", Wrapper = ["perl", "-e", perlBlock] }, "start", id).Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        var lines = c.ReadStdout().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"], lines);
        _rt.Run("delete", id).Ok();
    }
}
