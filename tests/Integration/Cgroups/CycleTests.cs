using System.Diagnostics;
using OciRuntime.Tests.Integration.Support;
using Xunit.Abstractions;
using static OciRuntime.Tests.Integration.Cgroups.CgroupKit;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>
/// 1,000 create/delete cycles leave nothing behind: no cgroup directory in any hierarchy (the
/// unified one included), no state directory, no process, no mount.
/// <para>So that the count of the parent directory is exact while other engineers' containers come
/// and go on this machine, the cycles run from a shell that first moves itself into a private child
/// of its own cgroup in every hierarchy ("runcs-it-cycles-RANDOM", made and removed by the test):
/// that child is then where runcs puts a container by default (relative to the caller's cgroup),
/// and it must hold no entry at the end. The test process's own cgroups are counted too, and reported.</para>
/// Set RUNCS_IT_CYCLES to change the number of cycles (default 1000).
/// </summary>
[Trait("Category", "Integration")]
public sealed class CycleTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;
    private readonly ITestOutputHelper _out;

    public CycleTests(Runcs rt, ITestOutputHelper output)
    {
        _rt = rt;
        _out = output;
    }

    // $1 runcs  $2 root  $3 bundle  $4 id prefix  $5 cycles  $6 parallel workers  $7 private cgroup name,
    // then one "KEY|MOUNTPOINT" per hierarchy (KEY as in /proc/self/cgroup, "v2" for cgroup2).
    private const string Script = """
        set -euo pipefail
        runcs=$1 root=$2 bundle=$3 prefix=$4 n=$5 par=$6 priv=$7
        shift 7
        declare -A mnt
        for kv in "$@"; do mnt[${kv%%|*}]=${kv#*|}; done
        mapfile -t own < /proc/self/cgroup
        dirs=()
        for line in "${own[@]}"; do
          IFS=: read -r _ ctrls path <<<"$line"
          m=${mnt[${ctrls:-v2}]:-}
          [[ -n $m ]] || { echo "no mount for hierarchy '$ctrls'"; exit 3; }
          d=$m${path%/}/$priv
        mkdir "$d"
          dirs+=("$d")
          if [[ -f $d/cpuset.cpus ]]; then cat "$m${path%/}/cpuset.cpus" > "$d/cpuset.cpus"; cat "$m${path%/}/cpuset.mems" > "$d/cpuset.mems"; fi
          echo $$ > "$d/cgroup.procs"
        done
        # One container looked at: its cgroup is the private one's child in every hierarchy.
        "$runcs" --root "$root" create --bundle "$bundle" "$prefix-0"
        pid=$("$runcs" --root "$root" state "$prefix-0" | sed -n 's/^  "pid": \([0-9]*\),$/\1/p')
        sed 's/^/PLACED /' /proc/$pid/cgroup
        "$runcs" --root "$root" delete "$prefix-0"
        start=$(date +%s%N)
        seq 1 "$n" | xargs -P "$par" -I{} sh -c "'$runcs' --root '$root' create --bundle '$bundle' '$prefix-{}' >/dev/null 2>&1 && '$runcs' --root '$root' delete '$prefix-{}' || echo 'FAIL {}'"
        end=$(date +%s%N)
        echo "LOOPMS $(( (end - start) / 1000000 ))"
        for d in "${dirs[@]}"; do echo "ENTRIES $(find "$d" -mindepth 1 -type d | wc -l) $d"; done
        """;

    [CgroupV1Fact]
    public void ThousandCreateDeleteCycles_LeaveNoCgroupStateProcessOrMount()
    {
        int cycles = int.TryParse(Environment.GetEnvironmentVariable("RUNCS_IT_CYCLES"), out var n) ? n : 1000;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var prefix = "cgcyc" + tag;
        var priv = "runcs-it-cycles-" + tag;
        using var b = Bundle.Create("true");

        int ownBefore = OwnEntries(out var ownReport);
        var mountsBefore = File.ReadAllLines("/proc/self/mountinfo");
        int exeBefore = ExeMounts(mountsBefore);
        Assert.Empty(DirsNamed(prefix));

        var sw = Stopwatch.StartNew();
        (int Code, string Output) r;
        try
        {
            r = Sh(Script, TimeSpan.FromMinutes(6), [_rt.Binary, _rt.Root, b.Dir, prefix, cycles.ToString(), "2", priv,
                .. Hierarchies.Select(h => $"{(h.IsV2 ? "v2" : h.Key)}|{h.MountPoint}")]);
        }
        finally
        {
            RemovePrivate(priv, prefix);
        }
        sw.Stop();
        var lines = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _out.WriteLine(r.Output);
        Assert.True(r.Code == 0, "cycle script failed:\n" + r.Output);

        // The sample container was in the private cgroup in every hierarchy (runcs's default placement).
        var placed = lines.Where(l => l.StartsWith("PLACED ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Hierarchies.Count, placed.Count);
        Assert.All(placed, l => Assert.EndsWith($"/{priv}/{prefix}-0", l));

        var failed = lines.Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} cycles failed: {string.Join(' ', failed.Take(20))}");

        // The private parents held no entry at the end, in every hierarchy.
        var entries = lines.Where(l => l.StartsWith("ENTRIES ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Hierarchies.Count, entries.Count);
        Assert.All(entries, l => Assert.StartsWith("ENTRIES 0 ", l));
        // Nothing anywhere with the test's prefix, no state, no process, no mount.
        Assert.Empty(DirsNamed(prefix));
        Assert.True(!Directory.Exists(_rt.Root) || Directory.GetFileSystemEntries(_rt.Root).Length == 0,
            "state left: " + string.Join(' ', Directory.GetFileSystemEntries(_rt.Root).Take(10)));
        Assert.Empty(FidelityLikeProcesses(prefix));
        var mountsAfter = File.ReadAllLines("/proc/self/mountinfo");
        Assert.DoesNotContain(mountsAfter, l => l.Contains(prefix) || l.Contains(priv) || l.Contains(b.Dir));
        Assert.True(ExeMounts(mountsAfter) <= Math.Max(exeBefore, 1), $"mounts of this runcs binary: {exeBefore} before, {ExeMounts(mountsAfter)} after");

        int ownAfter = OwnEntries(out var ownReportAfter);
        var loopMs = lines.First(l => l.StartsWith("LOOPMS ", StringComparison.Ordinal))[7..];
        var summary = $"{cycles} create/delete cycles (2 workers): loop {loopMs} ms, test {sw.ElapsedMilliseconds} ms; " +
                      $"'{prefix}*' dirs before 0, after {DirsNamed(prefix).Count}; private parents' entries after: {string.Join(",", entries.Select(e => e.Split(' ')[1]))}; " +
                      $"the test process's own cgroups (shared with other users of this machine): {ownBefore} entries before, {ownAfter} after" +
                      $"\n  before: {ownReport}\n  after:  {ownReportAfter}";
        _out.WriteLine(summary);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "runcs-it-cycles.log"), DateTime.UtcNow.ToString("o") + " " + summary + "\n");
    }

    /// <summary>Sub-directories of the test process's own cgroup in every hierarchy (where this suite's containers go by default).</summary>
    private static int OwnEntries(out string report)
    {
        int total = 0;
        var parts = new List<string>();
        foreach (var h in Hierarchies)
        {
            var dir = OwnDir(h.IsV2 ? "v2" : h.Controllers[0]);
            int c = Directory.GetDirectories(dir).Length;
            total += c;
            parts.Add($"{dir}={c}");
        }
        report = string.Join(" ", parts);
        return total;
    }

    /// <summary>Mounts of this runcs binary's read-only copy (/run/runcs-exe/runcs-DEV-INO-MTIME.NSEC): one per host and binary.</summary>
    private int ExeMounts(string[] mountinfo)
    {
        var st = Sh("stat -L -c '%i %Y' \"$1\"", TimeSpan.FromSeconds(10), _rt.Binary).Output.Split(' ', StringSplitOptions.TrimEntries);
        var key = $"-{long.Parse(st[0]):x}-{long.Parse(st[1]):x}.";
        return mountinfo.Count(l => l.Contains(" /run/runcs-exe/runcs-", StringComparison.Ordinal) && l.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>Live processes whose cgroup or command line names the prefix.</summary>
    private static List<int> FidelityLikeProcesses(string prefix)
    {
        var list = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if ((File.ReadAllText(Path.Combine(d, "cgroup")).Contains(prefix) || File.ReadAllText(Path.Combine(d, "cmdline")).Contains(prefix)) && Proc.IsAlive(pid))
                    list.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return list;
    }

    /// <summary>Removes the private cgroups the script made (and, should runcs have leaked any, the container cgroups in them).</summary>
    private static void RemovePrivate(string priv, string prefix)
    {
        foreach (var d in DirsNamed(priv).OrderByDescending(d => d.Length))
        {
            foreach (var leak in DirsNamed(prefix).Where(x => x.StartsWith(d + "/", StringComparison.Ordinal)).OrderByDescending(x => x.Length))
                try { Directory.Delete(leak); } catch (IOException) { }
            try { Directory.Delete(d); } catch (IOException) { }
        }
    }
}
