using System.Diagnostics;
using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// Small helpers shared by the fidelity tests: config.json fragments, a foreground
/// <c>run</c>, host-side shell commands, host scratch directories and mountinfo parsing.
/// </summary>
internal static class FidelityKit
{
    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(params string[] items) =>
        new(items.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());

    /// <summary>A <c>mounts[]</c> entry.</summary>
    public static JsonObject Mount(string destination, string type, string source, params string[] options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = Strings(options),
    };

    /// <summary>Appends mounts to config.json.</summary>
    public static Bundle AddMounts(this Bundle b, params JsonObject[] mounts) => b.EditConfig(c =>
    {
        var arr = c["mounts"]!.AsArray();
        foreach (var m in mounts) arr.Add(m);
    });

    /// <summary>
    /// <c>run --bundle B ID</c> in the foreground: the container's stdout/stderr are the
    /// result's, its exit code the result's exit code. The id is tracked for cleanup.
    /// </summary>
    public static RunResult RunForeground(this Runcs rt, Bundle b, string prefix, RunOptions? o = null) =>
        rt.Run(o ?? new RunOptions(), "run", "--bundle", b.Dir, rt.NewId(prefix));

    /// <summary>Runs <c>bash -c SCRIPT</c> on the host; fails the test unless it exits 0. Returns stdout.</summary>
    public static string HostSh(string script)
    {
        var psi = new ProcessStartInfo("/bin/bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill(true);
            throw new TimeoutException("host command did not finish: " + script);
        }
        Assert.True(p.ExitCode == 0, $"host command failed ({p.ExitCode}): {script}\n{output}{err.Result}");
        return output;
    }

    /// <summary>True if a cgroup named after the container is still there (v1 pids hierarchy or the v2 root).</summary>
    public static bool CgroupLeft(string id) =>
        Directory.Exists($"/sys/fs/cgroup/pids/{id}") || Directory.Exists($"/sys/fs/cgroup/{id}");

    /// <summary>Pids (other than this process) whose command line contains <paramref name="text"/>.</summary>
    public static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(d, "cmdline")).Contains(text, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Mount ids of the test process's own mount table (the host's view).</summary>
    public static Dictionary<string, MountEntry> HostMounts() =>
        ParseMountinfo(File.ReadAllText("/proc/self/mountinfo")).ToDictionary(m => m.Id);

    /// <summary>Parses mountinfo lines; lines that are not mountinfo are skipped.</summary>
    public static List<MountEntry> ParseMountinfo(string text)
    {
        var list = new List<MountEntry>();
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = raw.Trim().Split(' ');
            var dash = Array.IndexOf(f, "-");
            if (dash < 6 || dash + 2 >= f.Length || !int.TryParse(f[0], out _)) continue;
            list.Add(new MountEntry(
                Id: f[0],
                Root: f[3],
                MountPoint: f[4],
                Options: f[5].Split(','),
                Optional: f[6..dash],
                FsType: f[dash + 1],
                Source: f[dash + 2],
                SuperOptions: dash + 3 < f.Length ? f[dash + 3].Split(',') : []));
        }
        return list;
    }

    /// <summary>The last mountinfo entry for <paramref name="mountPoint"/> (the one on top).</summary>
    public static MountEntry Single(IEnumerable<MountEntry> mounts, string mountPoint)
    {
        var m = mounts.LastOrDefault(x => x.MountPoint == mountPoint);
        Assert.True(m != null, $"no mount at {mountPoint} in:\n{string.Join('\n', mounts.Select(x => x.ToString()))}");
        return m!;
    }
}

/// <summary>One line of /proc/PID/mountinfo.</summary>
internal sealed record MountEntry(
    string Id, string Root, string MountPoint, string[] Options, string[] Optional,
    string FsType, string Source, string[] SuperOptions)
{
    public override string ToString() =>
        $"{Id} {Root} {MountPoint} {string.Join(',', Options)} [{string.Join(' ', Optional)}] {FsType} {Source} {string.Join(',', SuperOptions)}";
}

/// <summary>
/// A scratch directory on the host (<c>/tmp/runcs-fid-TAG-RANDOM</c>). Mounts made through
/// <see cref="MountOnHost"/> are lazily unmounted (deepest first) before the directory is removed.
/// </summary>
internal sealed class HostDir : IDisposable
{
    private readonly List<string> _mounts = new();

    public HostDir(string tag)
    {
        Path = System.IO.Path.Combine("/tmp", $"runcs-fid-{tag}-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>An absolute path under the directory.</summary>
    public string Sub(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Creates a sub-directory and returns its path.</summary>
    public string MakeDir(string relative)
    {
        var p = Sub(relative);
        Directory.CreateDirectory(p);
        return p;
    }

    /// <summary>Writes a file (parents created) and returns its path.</summary>
    public string WriteFile(string relative, string content)
    {
        var p = Sub(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        File.WriteAllText(p, content);
        return p;
    }

    /// <summary>Mounts a tmpfs on the host at <paramref name="relative"/> (created), remembered for unmount.</summary>
    public string MountOnHost(string relative, string fsName, string extra = "")
    {
        var p = MakeDir(relative);
        FidelityKit.HostSh($"mount -t tmpfs -o size=1m {fsName} {Runcs.Quote(p)} {extra}");
        _mounts.Add(p);
        return p;
    }

    public void Dispose()
    {
        foreach (var m in _mounts.OrderByDescending(m => m.Length))
        {
            try { FidelityKit.HostSh($"umount -l {Runcs.Quote(m)} 2>/dev/null || true"); } catch (Exception) { }
        }
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
