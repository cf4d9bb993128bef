using System.Diagnostics;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>
/// /run/runcs-exe holds one read-only bind mount of each runcs build that ran containers here.
/// When a new build makes its entry, entries of deleted binaries that no process runs go away
/// (each is a line of every process's mountinfo); an entry whose binary still runs stays.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ExecutableMountTests
{
    private const string Dir = "/run/runcs-exe";

    private static bool Mounted(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == path);

    private static void Sh(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{command}: {err}");
    }

    private static string Output(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return text;
    }

    private static void Unmount(string path)
    {
        while (Mounted(path)) Sh($"umount -l '{path}'");
        File.Delete(path);
    }

    [Fact]
    public void NewBuild_RemovesEntriesOfDeletedBinaries_KeepsOnesStillRunning()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var work = Path.Combine("/tmp", "runcs-it-exe-" + tag);
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(Dir);
        var stale = Path.Combine(Dir, $"runcs-test-stale-{tag}");
        var inUse = Path.Combine(Dir, $"runcs-test-inuse-{tag}");
        var copy = Path.Combine(work, "runcs");
        string? copyEntry = null;
        Process? sleeper = null;
        try
        {
            // An entry whose binary was deleted and that nothing runs.
            File.WriteAllText(Path.Combine(work, "old"), "old build");
            File.WriteAllText(stale, "");
            Sh($"mount --bind '{work}/old' '{stale}' && rm '{work}/old'");
            // An entry whose binary was deleted while a process still runs it.
            File.Copy("/bin/sleep", Path.Combine(work, "sleep"));
            File.SetUnixFileMode(Path.Combine(work, "sleep"), (UnixFileMode)0x1ED);
            File.WriteAllText(inUse, "");
            Sh($"mount --bind '{work}/sleep' '{inUse}'");
            sleeper = Process.Start(inUse, "120")!;
            File.Delete(Path.Combine(work, "sleep"));
            Assert.True(Mounted(stale) && Mounted(inUse));

            // A new build (a copy has its own inode): its first container makes its entry.
            File.Copy(Paths.RuncsBin, copy);
            File.SetUnixFileMode(copy, (UnixFileMode)0x1ED);
            var rt = new Runcs(copy);
            using (rt)
            {
                using var b = Bundle.Create("true");
                rt.Run("run", "--bundle", b.Dir, rt.NewId("exe")).Ok();
            }

            // Named runcs-DEV-INO-MTIME (hex) after the binary.
            var devIno = Output("stat", "-c", "%d %i", copy).Split(' ');
            var prefix = $"runcs-{ulong.Parse(devIno[0]):x}-{ulong.Parse(devIno[1]):x}-";
            copyEntry = Directory.GetFiles(Dir, prefix + "*").SingleOrDefault();
            Assert.True(copyEntry != null && Mounted(copyEntry), $"no mounted entry {Dir}/{prefix}* for the new build");
            Assert.False(Mounted(stale), "the entry of a deleted, unused binary is still mounted");
            Assert.False(File.Exists(stale), "the entry of a deleted, unused binary is still there");
            Assert.True(Mounted(inUse), "the entry of a binary that still runs was removed");
            Assert.False(sleeper.HasExited);
        }
        finally
        {
            if (sleeper != null && !sleeper.HasExited) { sleeper.Kill(); sleeper.WaitForExit(); }
            sleeper?.Dispose();
            if (File.Exists(stale)) Unmount(stale);
            if (File.Exists(inUse)) Unmount(inUse);
            if (copyEntry != null) Unmount(copyEntry);
            Directory.Delete(work, recursive: true);
        }
    }
}
