using System.Globalization;
using OciRuntime.Spec;
using Runcs.Native;

namespace Runcs.Cgroups;

/// <summary>
/// linux.resources turned into cgroup file writes, for v1 (and hybrid) or v2,
/// with runc's conversions between the two. Pure: the plan is a list of
/// (controller, file, value, JSON field) that the manager writes in order.
/// </summary>
public static class ResourcePlan
{
    /// <summary>One write. Controller is a v1 controller name ("memory", "cpu"...) or "v2".</summary>
    public sealed record Write(string Controller, string File, string Value, string Field);

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string S(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The devices every container may use, whatever its rules say (runc's list), as v1 lines.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedDevices = DeviceCgroupRule.DefaultAllowed.Select(r => r.V1Line).ToArray();

    /// <param name="definesDevices">create: the device rules are the whole set even when absent.</param>
    public static List<Write> V1(LinuxResources r, IReadOnlyList<LinuxDevice>? devices = null, bool definesDevices = false)
    {
        var w = new List<Write>();
        const string mem = "memory", cpu = "cpu", cpuset = "cpuset";
        if (r.Memory is { } m)
        {
            // Raise memsw before the limit when both grow; the manager retries in the other order on EINVAL.
            // 0 means "not set", as in runc.
            if (m.Limit is { } l && l != 0) w.Add(new(mem, "memory.limit_in_bytes", S(l), "memory.limit"));
            if (m.Swap is { } sw && sw != 0) w.Add(new(mem, "memory.memsw.limit_in_bytes", S(sw), "memory.swap"));
            if (m.Reservation is { } res) w.Add(new(mem, "memory.soft_limit_in_bytes", S(res), "memory.reservation"));
            if (m.KernelTCP is { } kt) w.Add(new(mem, "memory.kmem.tcp.limit_in_bytes", S(kt), "memory.kernelTCP"));
            if (m.Swappiness is { } swp)
            {
                if (swp > 100) throw new RuncsException($"linux.resources.memory.swappiness: must be 0..100, not {swp}");
                w.Add(new(mem, "memory.swappiness", S(swp), "memory.swappiness"));
            }
            if (m.DisableOOMKiller == true) w.Add(new(mem, "memory.oom_control", "1", "memory.disableOOMKiller"));
            if (m.UseHierarchy is { } uh) w.Add(new(mem, "memory.use_hierarchy", uh ? "1" : "0", "memory.useHierarchy"));
        }
        if (r.Cpu is { } c)
        {
            if (c.Shares is { } sh && sh != 0) w.Add(new(cpu, "cpu.shares", S(sh), "cpu.shares"));
            if (c.Period is { } p && p != 0) w.Add(new(cpu, "cpu.cfs_period_us", S(p), "cpu.period"));
            if (c.Quota is { } q && q != 0) w.Add(new(cpu, "cpu.cfs_quota_us", S(q), "cpu.quota"));
            if (c.Burst is { } b) w.Add(new(cpu, "cpu.cfs_burst_us", S(b), "cpu.burst"));
            if (c.RealtimePeriod is { } rp && rp != 0) w.Add(new(cpu, "cpu.rt_period_us", S(rp), "cpu.realtimePeriod"));
            if (c.RealtimeRuntime is { } rr && rr != 0) w.Add(new(cpu, "cpu.rt_runtime_us", S(rr), "cpu.realtimeRuntime"));
            if (c.Idle is { } idle) w.Add(new(cpu, "cpu.idle", S(idle), "cpu.idle"));
            if (!string.IsNullOrEmpty(c.Cpus)) w.Add(new(cpuset, "cpuset.cpus", c.Cpus, "cpu.cpus"));
            if (!string.IsNullOrEmpty(c.Mems)) w.Add(new(cpuset, "cpuset.mems", c.Mems, "cpu.mems"));
        }
        if (r.Pids is { Limit: { } pl } && pl != 0)
            w.Add(new("pids", "pids.max", pl > 0 ? S(pl) : "max", "pids.limit"));
        if (r.BlockIO is { } io)
        {
            if (io.Weight is { } bw && bw != 0) w.Add(new("blkio", "blkio.weight", S((ulong)bw), "blockIO.weight"));
            if (io.LeafWeight is { } lw && lw != 0) w.Add(new("blkio", "blkio.leaf_weight", S((ulong)lw), "blockIO.leafWeight"));
            foreach (var d in io.WeightDevice ?? new())
            {
                if (d.Weight is { } dw) w.Add(new("blkio", "blkio.weight_device", $"{d.Major}:{d.Minor} {dw}", "blockIO.weightDevice"));
                if (d.LeafWeight is { } dl) w.Add(new("blkio", "blkio.leaf_weight_device", $"{d.Major}:{d.Minor} {dl}", "blockIO.weightDevice"));
            }
            Throttle(w, io.ThrottleReadBpsDevice, "blkio.throttle.read_bps_device", "blockIO.throttleReadBpsDevice");
            Throttle(w, io.ThrottleWriteBpsDevice, "blkio.throttle.write_bps_device", "blockIO.throttleWriteBpsDevice");
            Throttle(w, io.ThrottleReadIOPSDevice, "blkio.throttle.read_iops_device", "blockIO.throttleReadIOPSDevice");
            Throttle(w, io.ThrottleWriteIOPSDevice, "blkio.throttle.write_iops_device", "blockIO.throttleWriteIOPSDevice");
        }
        foreach (var h in r.HugepageLimits ?? new())
            w.Add(new("hugetlb", $"hugetlb.{h.PageSize}.limit_in_bytes", S(h.Limit), "hugepageLimits"));
        if (r.Network is { } n)
        {
            if (n.ClassID is { } cls) w.Add(new("net_cls", "net_cls.classid", S((ulong)cls), "network.classID"));
            foreach (var p in n.Priorities ?? new())
                w.Add(new("net_prio", "net_prio.ifpriomap", $"{p.Name} {p.Priority}", "network.priorities"));
        }
        foreach (var (dev, lim) in r.Rdma ?? new())
        {
            var parts = new List<string>();
            if (lim.HcaHandles is { } hh) parts.Add($"hca_handle={hh}");
            if (lim.HcaObjects is { } ho) parts.Add($"hca_object={ho}");
            if (parts.Count > 0) w.Add(new("rdma", "rdma.max", $"{dev} {string.Join(" ", parts)}", "rdma"));
        }
        if (r.Unified is { Count: > 0 })
            throw new RuncsException("linux.resources.unified: needs cgroup v2 (this host runs cgroup v1 controllers)");
        w.AddRange(DeviceRules(r.Devices ?? (definesDevices ? new List<LinuxDeviceCgroup>() : null), devices));
        return w;
    }

    private static void Throttle(List<Write> w, List<LinuxThrottleDevice>? list, string file, string field)
    {
        foreach (var d in list ?? new()) w.Add(new("blkio", file, $"{d.Major}:{d.Minor} {d.Rate}", field));
    }

    /// <summary>
    /// v1 device rules: the config's rules in order, then runc's always-allowed devices and
    /// linux.devices. When the rules are given (create always gives them, update when asked),
    /// they define the whole set, as runc's whitelist does: a deny-all goes first unless the
    /// rules begin with one, so a config without device rules still gets only the defaults.
    /// </summary>
    public static List<Write> DeviceRules(List<LinuxDeviceCgroup>? rules, IReadOnlyList<LinuxDevice>? devices)
    {
        var eff = DeviceCgroupRule.Effective(rules, devices);
        var w = eff.Select(r => new Write("devices", r.Allow ? "devices.allow" : "devices.deny", r.V1Line, "devices")).ToList();
        bool startsWithDenyAll = eff.Count > 0 && !eff[0].Allow && eff[0].V1Line == "a *:* rwm";
        if (rules != null && !startsWithDenyAll) w.Insert(0, new Write("devices", "devices.deny", "a *:* rwm", "devices"));
        return w;
    }

    public static string DeviceRule(string? type, long? major, long? minor, string? access) =>
        new DeviceCgroupRule(true, string.IsNullOrEmpty(type) ? 'a' : type[0], major is >= 0 ? major.Value : -1,
            minor is >= 0 ? minor.Value : -1, string.IsNullOrEmpty(access) ? "rwm" : access).V1Line;

    /// <summary>
    /// The error when the OOM killer ended init before it was ready: the limit is written while the
    /// cgroup is still empty (so the write itself succeeds), and init is the first thing charged.
    /// </summary>
    public static string InitOomMessage(LinuxResources? r, bool v2)
    {
        if (r?.Memory?.Limit is { } l && l > 0)
            return $"linux.resources.memory.limit: container init was killed by the OOM killer: {(v2 ? "memory.max" : "memory.limit_in_bytes")} = {S(l)} is too low to start the container";
        return "container init was killed by the OOM killer before it was ready (out of memory in its cgroup)";
    }

    /// <summary>
    /// v1 cpu.shares as read back after the write: the kernel silently clamps to 2..262144, and runc
    /// reports a clamped value as an error ("the minimum allowed cpu-shares is 2"). Null when kept.
    /// </summary>
    public static string? SharesReadBackProblem(string written, string? readBack)
    {
        if (!ulong.TryParse(written, NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
            || !ulong.TryParse(readBack?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var got) || asked == got)
            return null;
        return $"linux.resources.cpu.shares: the {(asked > got ? "maximum" : "minimum")} allowed cpu-shares is {S(got)} (cpu.shares = {written} was changed to {S(got)} by the kernel)";
    }

    /// <summary>cpu.shares (2..262144) → cpu.weight (1..10000), runc's formula.</summary>
    public static ulong SharesToWeight(ulong shares) =>
        shares == 0 ? 0 : shares <= 2 ? 1 : shares >= 262144 ? 10000 : 1 + ((shares - 2) * 9999) / 262142;

    /// <summary>blkio.weight (10..1000) → io.weight (1..10000), runc's formula.</summary>
    public static ulong BlkioWeightToIoWeight(ulong weight) => weight == 0 ? 0 : 1 + (weight - 10) * 9999 / 990;

    public static List<Write> V2(LinuxResources r)
    {
        var w = new List<Write>();
        const string v2 = "v2";
        if (r.Memory is { } m)
        {
            if (m.Limit is { } l && l != 0) w.Add(new(v2, "memory.max", l < 0 ? "max" : S(l), "memory.limit"));
            if (m.Reservation is { } res) w.Add(new(v2, "memory.low", res < 0 ? "max" : S(res), "memory.reservation"));
            if (m.Swap is { } sw && sw != 0)
            {
                // v1's memsw counts memory+swap; v2's swap.max counts swap alone (runc's conversion).
                long lim = m.Limit ?? 0;
                string v;
                if (sw < 0) v = "max";
                else if (lim < 0) v = S(sw);
                else if (lim == 0) throw new RuncsException("linux.resources.memory.swap: unable to set swap limit without memory limit");
                else if (sw < lim) throw new RuncsException($"linux.resources.memory.swap: memory+swap limit ({sw}) should be >= memory limit ({lim})");
                else v = S(sw - lim);
                w.Add(new(v2, "memory.swap.max", v, "memory.swap"));
            }
            if (m.Swappiness is { } swp && swp != 0) throw new RuncsException("linux.resources.memory.swappiness: not supported on cgroup v2");
            if (m.KernelTCP is not null) throw new RuncsException("linux.resources.memory.kernelTCP: not supported on cgroup v2");
            if (m.DisableOOMKiller == true) throw new RuncsException("linux.resources.memory.disableOOMKiller: not supported on cgroup v2");
        }
        if (r.Cpu is { } c)
        {
            if (c.Shares is { } sh && sh != 0) w.Add(new(v2, "cpu.weight", S(SharesToWeight(sh)), "cpu.shares"));
            if (c.Quota is not null || c.Period is not null)
            {
                string quota = c.Quota is { } q && q > 0 ? S(q) : "max";
                ulong period = c.Period is { } p && p != 0 ? p : 100000;
                w.Add(new(v2, "cpu.max", $"{quota} {period}", "cpu.quota"));
            }
            if (c.Burst is { } b) w.Add(new(v2, "cpu.max.burst", S(b), "cpu.burst"));
            if (c.Idle is { } idle) w.Add(new(v2, "cpu.idle", S(idle), "cpu.idle"));
            if (c.RealtimePeriod is { } rp && rp != 0 || c.RealtimeRuntime is { } rr && rr != 0)
                throw new RuncsException("linux.resources.cpu.realtimePeriod/realtimeRuntime: not supported on cgroup v2");
            if (!string.IsNullOrEmpty(c.Cpus)) w.Add(new(v2, "cpuset.cpus", c.Cpus, "cpu.cpus"));
            if (!string.IsNullOrEmpty(c.Mems)) w.Add(new(v2, "cpuset.mems", c.Mems, "cpu.mems"));
        }
        if (r.Pids is { Limit: { } pl } && pl != 0) w.Add(new(v2, "pids.max", pl > 0 ? S(pl) : "max", "pids.limit"));
        if (r.BlockIO is { } io)
        {
            if (io.Weight is { } bw && bw != 0) w.Add(new(v2, "io.weight", S(BlkioWeightToIoWeight(bw)), "blockIO.weight"));
            foreach (var d in io.WeightDevice ?? new())
                if (d.Weight is { } dw) w.Add(new(v2, "io.weight", $"{d.Major}:{d.Minor} {BlkioWeightToIoWeight(dw)}", "blockIO.weightDevice"));
            void Max(List<LinuxThrottleDevice>? list, string key, string field)
            {
                foreach (var d in list ?? new()) w.Add(new(v2, "io.max", $"{d.Major}:{d.Minor} {key}={d.Rate}", field));
            }
            Max(io.ThrottleReadBpsDevice, "rbps", "blockIO.throttleReadBpsDevice");
            Max(io.ThrottleWriteBpsDevice, "wbps", "blockIO.throttleWriteBpsDevice");
            Max(io.ThrottleReadIOPSDevice, "riops", "blockIO.throttleReadIOPSDevice");
            Max(io.ThrottleWriteIOPSDevice, "wiops", "blockIO.throttleWriteIOPSDevice");
        }
        foreach (var h in r.HugepageLimits ?? new())
            w.Add(new(v2, $"hugetlb.{h.PageSize}.max", S(h.Limit), "hugepageLimits"));
        foreach (var (dev, lim) in r.Rdma ?? new())
        {
            var parts = new List<string>();
            if (lim.HcaHandles is { } hh) parts.Add($"hca_handle={hh}");
            if (lim.HcaObjects is { } ho) parts.Add($"hca_object={ho}");
            if (parts.Count > 0) w.Add(new(v2, "rdma.max", $"{dev} {string.Join(" ", parts)}", "rdma"));
        }
        foreach (var (k, v) in r.Unified ?? new())
        {
            if (k.Contains('/') || k.StartsWith('.')) throw new RuncsException($"linux.resources.unified: invalid key '{k}'");
            w.Add(new(v2, k, v, $"unified.{k}"));
        }
        return w;
    }
}
