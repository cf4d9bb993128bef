using System.Globalization;
using System.Text.Json.Serialization;
using Runcs.Native;

namespace Runcs.Cgroups;

// The shape of runc's `events` output (runc's types/events.go), the parts cgroups give. Where runc's
// field is omitempty a zero is left out here too (WhenWritingDefault), so the lines are the same.
public sealed class CpuUsage
{
    [JsonPropertyName("percpu")] public List<ulong>? Percpu { get; set; }
    [JsonPropertyName("percpu_kernel")] public List<ulong>? PercpuKernel { get; set; }
    [JsonPropertyName("percpu_user")] public List<ulong>? PercpuUser { get; set; }
    [JsonPropertyName("total"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Total { get; set; }
    [JsonPropertyName("kernel")] public ulong Kernel { get; set; }
    [JsonPropertyName("user")] public ulong User { get; set; }
}

public sealed class Throttling
{
    [JsonPropertyName("periods"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Periods { get; set; }
    // runc's names (types/events.go): camelCase here, unlike most other keys.
    [JsonPropertyName("throttledPeriods"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong ThrottledPeriods { get; set; }
    [JsonPropertyName("throttledTime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong ThrottledTime { get; set; }
}

public sealed class CpuStats
{
    [JsonPropertyName("usage")] public CpuUsage Usage { get; set; } = new();
    [JsonPropertyName("throttling")] public Throttling Throttling { get; set; } = new();
}

public sealed class MemoryEntry
{
    [JsonPropertyName("limit")] public ulong Limit { get; set; }
    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Usage { get; set; }
    [JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Max { get; set; }
    [JsonPropertyName("failcnt")] public ulong Failcnt { get; set; }
}

public sealed class MemoryStats
{
    [JsonPropertyName("cache"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Cache { get; set; }
    [JsonPropertyName("usage")] public MemoryEntry Usage { get; set; } = new();
    [JsonPropertyName("swap")] public MemoryEntry Swap { get; set; } = new();
    [JsonPropertyName("kernel")] public MemoryEntry Kernel { get; set; } = new();
    [JsonPropertyName("kernelTCP")] public MemoryEntry KernelTcp { get; set; } = new();
    [JsonPropertyName("raw")] public Dictionary<string, ulong>? Raw { get; set; }
}

public sealed class PidsStats
{
    [JsonPropertyName("current"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Current { get; set; }
    [JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Limit { get; set; }
}

/// <summary>One line of a blkio/io statistics file; zero fields are left out, as runc's omitempty does.</summary>
public sealed class BlkioEntry
{
    [JsonPropertyName("major"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Major { get; set; }
    [JsonPropertyName("minor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Minor { get; set; }
    [JsonPropertyName("op"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public string? Op { get; set; }
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Value { get; set; }
}

/// <summary>runc's blkio stats; a list that is not read is null and left out.</summary>
public sealed class BlkioStats
{
    [JsonPropertyName("ioServiceBytesRecursive")] public List<BlkioEntry>? IoServiceBytesRecursive { get; set; }
    [JsonPropertyName("ioServicedRecursive")] public List<BlkioEntry>? IoServicedRecursive { get; set; }
    [JsonPropertyName("ioQueueRecursive")] public List<BlkioEntry>? IoQueuedRecursive { get; set; }
    [JsonPropertyName("ioServiceTimeRecursive")] public List<BlkioEntry>? IoServiceTimeRecursive { get; set; }
    [JsonPropertyName("ioWaitTimeRecursive")] public List<BlkioEntry>? IoWaitTimeRecursive { get; set; }
    [JsonPropertyName("ioMergedRecursive")] public List<BlkioEntry>? IoMergedRecursive { get; set; }
    [JsonPropertyName("ioTimeRecursive")] public List<BlkioEntry>? IoTimeRecursive { get; set; }
    [JsonPropertyName("sectorsRecursive")] public List<BlkioEntry>? SectorsRecursive { get; set; }
}

/// <summary>runc's cpuset stats (v1; zero on v2, as runc 1.1).</summary>
public sealed class CpusetStats
{
    [JsonPropertyName("cpus")] public List<ushort>? Cpus { get; set; }
    [JsonPropertyName("cpu_exclusive")] public ulong CpuExclusive { get; set; }
    [JsonPropertyName("mems")] public List<ushort>? Mems { get; set; }
    [JsonPropertyName("mem_hardwall")] public ulong MemHardwall { get; set; }
    [JsonPropertyName("mem_exclusive")] public ulong MemExclusive { get; set; }
    [JsonPropertyName("memory_migrate")] public ulong MemoryMigrate { get; set; }
    [JsonPropertyName("memory_spread_page")] public ulong MemorySpreadPage { get; set; }
    [JsonPropertyName("memory_spread_slab")] public ulong MemorySpreadSlab { get; set; }
    [JsonPropertyName("memory_pressure")] public ulong MemoryPressure { get; set; }
    [JsonPropertyName("sched_load_balance")] public ulong SchedLoadBalance { get; set; }
    [JsonPropertyName("sched_relax_domain_level")] public long SchedRelaxDomainLevel { get; set; }
}

public sealed class HugetlbEntry
{
    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Usage { get; set; }
    [JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Max { get; set; }
    [JsonPropertyName("failcnt")] public ulong Failcnt { get; set; }
}

public sealed class StatsData
{
    [JsonPropertyName("cpu")] public CpuStats Cpu { get; set; } = new();
    [JsonPropertyName("memory")] public MemoryStats Memory { get; set; } = new();
    [JsonPropertyName("pids")] public PidsStats Pids { get; set; } = new();
    [JsonPropertyName("cpuset")] public CpusetStats Cpuset { get; set; } = new();
    [JsonPropertyName("blkio")] public BlkioStats Blkio { get; set; } = new();
    [JsonPropertyName("hugetlb")] public Dictionary<string, HugetlbEntry> Hugetlb { get; set; } = new();
    [JsonPropertyName("intel_rdt")] public Dictionary<string, string> IntelRdt { get; set; } = new();
    // runc prints null here (no network stats from cgroups).
    [JsonPropertyName("network_interfaces"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public List<string>? NetworkInterfaces { get; set; }
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
                s.Pids.Limit = PidsLimit(Read(pids, "pids.max"));
            }
            if (Dir("blkio") is { } blkio) s.Blkio = V1Blkio(f => Read(blkio, f));
            if (Dir("cpuset") is { } cpuset) s.Cpuset = V1Cpuset(f => Read(cpuset, f));
            if (Dir("hugetlb") is { } huge)
                foreach (var size in HugetlbSizes(huge, ".limit_in_bytes"))
                    s.Hugetlb[size] = new HugetlbEntry
                    {
                        Usage = U(Read(huge, $"hugetlb.{size}.usage_in_bytes")),
                        Max = U(Read(huge, $"hugetlb.{size}.max_usage_in_bytes")),
                        Failcnt = U(Read(huge, $"hugetlb.{size}.failcnt")),
                    };
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
            s.Pids.Limit = PidsLimit(Read(v2, "pids.max"));
            s.Blkio = V2Io(Read(v2, "io.stat"));
            foreach (var size in HugetlbSizes(v2, ".current"))
                s.Hugetlb[size] = new HugetlbEntry
                {
                    Usage = U(Read(v2, $"hugetlb.{size}.current")),
                    Failcnt = KeyValues(Read(v2, $"hugetlb.{size}.events")).GetValueOrDefault("max"),
                };
        }
        return s;
    }

    /// <summary>pids.max: an unlimited "max" is reported as 0, "no limit" (runc's fs/pids.go and fs2/pids.go), unlike memory's.</summary>
    public static ulong PidsLimit(string? text) => text?.Trim() == "max" ? 0 : U(text);

    /// <summary>Page sizes ("2MB") of the hugetlb.SIZE.SUFFIX files in a cgroup directory.</summary>
    private static IEnumerable<string> HugetlbSizes(string dir, string suffix)
    {
        IEnumerable<string> files;
        try { files = Directory.EnumerateFiles(dir, "hugetlb.*" + suffix).ToList(); }
        catch (IOException) { yield break; }
        foreach (var f in files)
        {
            var name = Path.GetFileName(f);
            var size = name["hugetlb.".Length..^suffix.Length];
            if (size.Length > 0 && !size.Contains('.')) yield return size;
        }
    }

    // runc's order (fs/blkio.go): the first group whose first file has lines is read, file by file,
    // until a file is missing or empty: BFQ's debug files, BFQ's, CFQ's, then the throttle ones.
    private static readonly (string File, Action<BlkioStats, List<BlkioEntry>> Set)[][] BlkioGroups =
    {
        new (string, Action<BlkioStats, List<BlkioEntry>>)[]
        {
            ("blkio.bfq.sectors_recursive", (b, l) => b.SectorsRecursive = l),
            ("blkio.bfq.io_service_time_recursive", (b, l) => b.IoServiceTimeRecursive = l),
            ("blkio.bfq.io_wait_time_recursive", (b, l) => b.IoWaitTimeRecursive = l),
            ("blkio.bfq.io_merged_recursive", (b, l) => b.IoMergedRecursive = l),
            ("blkio.bfq.io_queued_recursive", (b, l) => b.IoQueuedRecursive = l),
            ("blkio.bfq.time_recursive", (b, l) => b.IoTimeRecursive = l),
            ("blkio.bfq.io_serviced_recursive", (b, l) => b.IoServicedRecursive = l),
            ("blkio.bfq.io_service_bytes_recursive", (b, l) => b.IoServiceBytesRecursive = l),
        },
        new (string, Action<BlkioStats, List<BlkioEntry>>)[]
        {
            ("blkio.bfq.io_serviced_recursive", (b, l) => b.IoServicedRecursive = l),
            ("blkio.bfq.io_service_bytes_recursive", (b, l) => b.IoServiceBytesRecursive = l),
        },
        new (string, Action<BlkioStats, List<BlkioEntry>>)[]
        {
            ("blkio.sectors_recursive", (b, l) => b.SectorsRecursive = l),
            ("blkio.io_service_time_recursive", (b, l) => b.IoServiceTimeRecursive = l),
            ("blkio.io_wait_time_recursive", (b, l) => b.IoWaitTimeRecursive = l),
            ("blkio.io_merged_recursive", (b, l) => b.IoMergedRecursive = l),
            ("blkio.io_queued_recursive", (b, l) => b.IoQueuedRecursive = l),
            ("blkio.time_recursive", (b, l) => b.IoTimeRecursive = l),
            ("blkio.io_serviced_recursive", (b, l) => b.IoServicedRecursive = l),
            ("blkio.io_service_bytes_recursive", (b, l) => b.IoServiceBytesRecursive = l),
        },
        new (string, Action<BlkioStats, List<BlkioEntry>>)[]
        {
            ("blkio.throttle.io_serviced_recursive", (b, l) => b.IoServicedRecursive = l),
            ("blkio.throttle.io_service_bytes_recursive", (b, l) => b.IoServiceBytesRecursive = l),
        },
        new (string, Action<BlkioStats, List<BlkioEntry>>)[]
        {
            ("blkio.throttle.io_serviced", (b, l) => b.IoServicedRecursive = l),
            ("blkio.throttle.io_service_bytes", (b, l) => b.IoServiceBytesRecursive = l),
        },
    };

    /// <summary>v1 blkio stats from a file reader (file name → text or null).</summary>
    public static BlkioStats V1Blkio(Func<string, string?> read)
    {
        var b = new BlkioStats();
        foreach (var group in BlkioGroups)
        {
            for (int i = 0; i < group.Length; i++)
            {
                var entries = ParseBlkio(read(group[i].File));
                if (entries.Count == 0)
                {
                    if (i == 0) break; // next group
                    return b;
                }
                group[i].Set(b, entries);
                if (i == group.Length - 1) return b;
            }
        }
        return b;
    }

    /// <summary>"MAJ:MIN OP VALUE" or "MAJ:MIN VALUE" lines; "Total N" lines and malformed ones are skipped.</summary>
    public static List<BlkioEntry> ParseBlkio(string? text)
    {
        var list = new List<BlkioEntry>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(new[] { ' ', ':' }, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length is not (3 or 4)) continue;
            if (!ulong.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !ulong.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
                || !ulong.TryParse(f[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
            list.Add(new BlkioEntry { Major = major, Minor = minor, Op = f.Length == 4 ? f[2] : null, Value = value });
        }
        return list;
    }

    /// <summary>v2 io.stat as runc 1.1 reports it: rbytes/wbytes → ioServiceBytesRecursive, rios/wios → ioServicedRecursive.</summary>
    public static BlkioStats V2Io(string? ioStat)
    {
        var b = new BlkioStats();
        foreach (var line in (ioStat ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var dev = f.Length > 0 ? f[0].Split(':') : Array.Empty<string>();
            if (dev.Length != 2 || !ulong.TryParse(dev[0], out var major) || !ulong.TryParse(dev[1], out var minor)) continue;
            foreach (var kv in f.Skip(1))
            {
                var p = kv.Split('=', 2);
                if (p.Length != 2 || !ulong.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v)) continue;
                var (op, bytes) = p[0] switch { "rbytes" => ("Read", true), "wbytes" => ("Write", true), "rios" => ("Read", false), "wios" => ("Write", false), _ => ("", false) };
                if (op == "") continue;
                var target = bytes ? (b.IoServiceBytesRecursive ??= new()) : (b.IoServicedRecursive ??= new());
                target.Add(new BlkioEntry { Major = major, Minor = minor, Op = op, Value = v });
            }
        }
        return b;
    }

    /// <summary>v1 cpuset stats: the cpu and memory-node lists and the flag files.</summary>
    public static CpusetStats V1Cpuset(Func<string, string?> read) => new()
    {
        Cpus = ParseList(read("cpuset.cpus")),
        Mems = ParseList(read("cpuset.mems")),
        CpuExclusive = U(read("cpuset.cpu_exclusive")),
        MemHardwall = U(read("cpuset.mem_hardwall")),
        MemExclusive = U(read("cpuset.mem_exclusive")),
        MemoryMigrate = U(read("cpuset.memory_migrate")),
        MemorySpreadPage = U(read("cpuset.memory_spread_page")),
        MemorySpreadSlab = U(read("cpuset.memory_spread_slab")),
        MemoryPressure = U(read("cpuset.memory_pressure")),
        SchedLoadBalance = U(read("cpuset.sched_load_balance")),
        SchedRelaxDomainLevel = long.TryParse(read("cpuset.sched_relax_domain_level")?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : 0,
    };

    /// <summary>A kernel list ("0-3,8,10-11") as numbers; null when empty or malformed (runc leaves it out).</summary>
    public static List<ushort>? ParseList(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return null;
        var list = new List<ushort>();
        foreach (var part in t.Split(','))
        {
            var r = part.Split('-');
            if (!ushort.TryParse(r[0], out var from)) return null;
            ushort to = from;
            if (r.Length == 2 && !ushort.TryParse(r[1], out to) || r.Length > 2 || to < from) return null;
            for (int i = from; i <= to; i++) list.Add((ushort)i);
        }
        return list;
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
