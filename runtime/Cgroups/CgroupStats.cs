using System.Globalization;
using System.Text.Json.Serialization;
using Runcs.Native;

namespace Runcs.Cgroups;

// The shape of runc's `events` output (libcontainer types.Stats), the parts cgroups give.
public sealed class CpuUsage
{
    [JsonPropertyName("percpu")] public List<ulong>? Percpu { get; set; }
    [JsonPropertyName("percpu_kernel")] public List<ulong>? PercpuKernel { get; set; }
    [JsonPropertyName("percpu_user")] public List<ulong>? PercpuUser { get; set; }
    [JsonPropertyName("total")] public ulong Total { get; set; }
    [JsonPropertyName("kernel")] public ulong Kernel { get; set; }
    [JsonPropertyName("user")] public ulong User { get; set; }
}

public sealed class Throttling
{
    [JsonPropertyName("periods")] public ulong Periods { get; set; }
    [JsonPropertyName("throttled_periods")] public ulong ThrottledPeriods { get; set; }
    [JsonPropertyName("throttled_time")] public ulong ThrottledTime { get; set; }
}

public sealed class CpuStats
{
    [JsonPropertyName("usage")] public CpuUsage Usage { get; set; } = new();
    [JsonPropertyName("throttling")] public Throttling Throttling { get; set; } = new();
}

public sealed class MemoryEntry
{
    [JsonPropertyName("limit")] public ulong Limit { get; set; }
    [JsonPropertyName("usage")] public ulong Usage { get; set; }
    [JsonPropertyName("max")] public ulong Max { get; set; }
    [JsonPropertyName("failcnt")] public ulong Failcnt { get; set; }
}

public sealed class MemoryStats
{
    [JsonPropertyName("cache")] public ulong Cache { get; set; }
    [JsonPropertyName("usage")] public MemoryEntry Usage { get; set; } = new();
    [JsonPropertyName("swap")] public MemoryEntry Swap { get; set; } = new();
    [JsonPropertyName("kernel")] public MemoryEntry Kernel { get; set; } = new();
    [JsonPropertyName("kernelTCP")] public MemoryEntry KernelTcp { get; set; } = new();
    [JsonPropertyName("raw")] public Dictionary<string, ulong>? Raw { get; set; }
}

public sealed class PidsStats
{
    [JsonPropertyName("current")] public ulong Current { get; set; }
    [JsonPropertyName("limit")] public ulong Limit { get; set; }
}

public sealed class StatsData
{
    [JsonPropertyName("cpu")] public CpuStats Cpu { get; set; } = new();
    [JsonPropertyName("memory")] public MemoryStats Memory { get; set; } = new();
    [JsonPropertyName("pids")] public PidsStats Pids { get; set; } = new();
    [JsonPropertyName("blkio")] public Dictionary<string, string> Blkio { get; set; } = new();
    [JsonPropertyName("hugetlb")] public Dictionary<string, string> Hugetlb { get; set; } = new();
    [JsonPropertyName("intel_rdt")] public Dictionary<string, string> IntelRdt { get; set; } = new();
    [JsonPropertyName("network_interfaces")] public List<string>? NetworkInterfaces { get; set; }
}

public sealed class Event
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("data")] public StatsData? Data { get; set; }
}

/// <summary>Reads usage counters from the container's cgroups (v1 and v2 file names); pure parsing helpers are separate.</summary>
public static class CgroupStats
{
    public static StatsData Read(CgroupManager cg)
    {
        var s = new StatsData();
        string? Dir(string controller) => cg.Paths.FirstOrDefault(p => p.Key == controller || p.Key.Split(',').Contains(controller)).Value;
        bool v2Only = cg.Paths.Keys.All(k => k == "v2");
        string? v2 = cg.Paths.GetValueOrDefault("v2");

        if (!v2Only)
        {
            if (Dir("cpuacct") is { } acct)
            {
                s.Cpu.Usage.Total = U(Read(acct, "cpuacct.usage"));
                s.Cpu.Usage.Percpu = Us(Read(acct, "cpuacct.usage_percpu"));
                var st = KeyValues(Read(acct, "cpuacct.stat"));
                // USER_HZ ticks → nanoseconds
                s.Cpu.Usage.User = st.GetValueOrDefault("user") * 10_000_000;
                s.Cpu.Usage.Kernel = st.GetValueOrDefault("system") * 10_000_000;
            }
            if (Dir("cpu") is { } cpu)
            {
                var t = KeyValues(Read(cpu, "cpu.stat"));
                s.Cpu.Throttling = new Throttling { Periods = t.GetValueOrDefault("nr_periods"), ThrottledPeriods = t.GetValueOrDefault("nr_throttled"), ThrottledTime = t.GetValueOrDefault("throttled_time") };
            }
            if (Dir("memory") is { } mem)
            {
                s.Memory.Raw = KeyValues(Read(mem, "memory.stat"));
                s.Memory.Cache = s.Memory.Raw.GetValueOrDefault("cache");
                s.Memory.Usage = Entry(mem, "memory");
                s.Memory.Swap = Entry(mem, "memory.memsw");
                s.Memory.Kernel = Entry(mem, "memory.kmem");
                s.Memory.KernelTcp = Entry(mem, "memory.kmem.tcp");
            }
            if (Dir("pids") is { } pids)
            {
                s.Pids.Current = U(Read(pids, "pids.current"));
                s.Pids.Limit = U(Read(pids, "pids.max"));
            }
        }
        else if (v2 != null)
        {
            var cpu = KeyValues(Read(v2, "cpu.stat"));
            s.Cpu.Usage.Total = cpu.GetValueOrDefault("usage_usec") * 1000;
            s.Cpu.Usage.User = cpu.GetValueOrDefault("user_usec") * 1000;
            s.Cpu.Usage.Kernel = cpu.GetValueOrDefault("system_usec") * 1000;
            s.Cpu.Throttling = new Throttling { Periods = cpu.GetValueOrDefault("nr_periods"), ThrottledPeriods = cpu.GetValueOrDefault("nr_throttled"), ThrottledTime = cpu.GetValueOrDefault("throttled_usec") * 1000 };
            s.Memory.Raw = KeyValues(Read(v2, "memory.stat"));
            s.Memory.Cache = s.Memory.Raw.GetValueOrDefault("file");
            s.Memory.Usage = new MemoryEntry { Usage = U(Read(v2, "memory.current")), Limit = U(Read(v2, "memory.max")), Max = U(Read(v2, "memory.peak")) };
            // v1 reports swap as memory+swap; runc adds memory to v2's swap-only values to match
            // (a limit of max stays max; Go's uint64 wraps, as ulong does here).
            s.Memory.Swap = new MemoryEntry { Usage = U(Read(v2, "memory.swap.current")) + s.Memory.Usage.Usage, Limit = U(Read(v2, "memory.swap.max")) };
            if (s.Memory.Swap.Limit != ulong.MaxValue) s.Memory.Swap.Limit += s.Memory.Usage.Limit;
            s.Pids.Current = U(Read(v2, "pids.current"));
            s.Pids.Limit = U(Read(v2, "pids.max"));
        }
        return s;
    }

    /// <summary>How many times the kernel's OOM killer acted in the container's memory cgroup.</summary>
    public static ulong OomKills(CgroupManager cg)
    {
        var mem = cg.Paths.FirstOrDefault(p => p.Key.Split(',').Contains("memory")).Value;
        if (mem != null) return KeyValues(Read(mem, "memory.oom_control")).GetValueOrDefault("oom_kill");
        var v2 = cg.Paths.GetValueOrDefault("v2");
        return v2 == null ? 0 : KeyValues(Read(v2, "memory.events")).GetValueOrDefault("oom_kill");
    }

    private static MemoryEntry Entry(string dir, string prefix) => new()
    {
        Usage = U(Read(dir, prefix + ".usage_in_bytes")),
        Max = U(Read(dir, prefix + ".max_usage_in_bytes")),
        Failcnt = U(Read(dir, prefix + ".failcnt")),
        Limit = U(Read(dir, prefix + ".limit_in_bytes")),
    };

    private static string? Read(string dir, string file) => Sys.TryReadFile(Path.Combine(dir, file));

    /// <summary>"max" → the largest value (as runc reports an unlimited limit); missing → 0.</summary>
    public static ulong U(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return 0;
        if (t == "max") return ulong.MaxValue;
        return ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    public static List<ulong> Us(string? text) =>
        (text ?? "").Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(x => U(x)).ToList();

    /// <summary>"key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control).</summary>
    public static Dictionary<string, ulong> KeyValues(string? text)
    {
        var d = new Dictionary<string, ulong>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 2) d[f[0]] = U(f[1]);
        }
        return d;
    }
}
