using System.Text.Json.Serialization;

namespace OciRuntime.Spec;

/// <summary>Linux-specific configuration.</summary>
public sealed class Linux
{
    [JsonPropertyName("uidMappings")] public List<LinuxIDMapping>? UidMappings { get; set; }
    [JsonPropertyName("gidMappings")] public List<LinuxIDMapping>? GidMappings { get; set; }
    [JsonPropertyName("sysctl")] public Dictionary<string, string>? Sysctl { get; set; }
    [JsonPropertyName("resources")] public LinuxResources? Resources { get; set; }
    [JsonPropertyName("cgroupsPath")] public string? CgroupsPath { get; set; }
    [JsonPropertyName("namespaces")] public List<LinuxNamespace>? Namespaces { get; set; }
    [JsonPropertyName("devices")] public List<LinuxDevice>? Devices { get; set; }
    /// <summary>v1.3: host network device name → settings; moved into the container's network namespace.</summary>
    [JsonPropertyName("netDevices")] public Dictionary<string, LinuxNetDevice>? NetDevices { get; set; }
    [JsonPropertyName("seccomp")] public LinuxSeccomp? Seccomp { get; set; }
    [JsonPropertyName("rootfsPropagation")] public string? RootfsPropagation { get; set; }
    [JsonPropertyName("maskedPaths")] public List<string>? MaskedPaths { get; set; }
    [JsonPropertyName("readonlyPaths")] public List<string>? ReadonlyPaths { get; set; }
    [JsonPropertyName("mountLabel")] public string? MountLabel { get; set; }
    [JsonPropertyName("intelRdt")] public LinuxIntelRdt? IntelRdt { get; set; }
    /// <summary>v1.3: NUMA memory policy (set_mempolicy(2)).</summary>
    [JsonPropertyName("memoryPolicy")] public LinuxMemoryPolicy? MemoryPolicy { get; set; }
    [JsonPropertyName("personality")] public LinuxPersonality? Personality { get; set; }
    /// <summary>Clock name ("monotonic" or "boottime") → offset, for a time namespace.</summary>
    [JsonPropertyName("timeOffsets")] public Dictionary<string, LinuxTimeOffset>? TimeOffsets { get; set; }
}

/// <summary>A namespace to create (no path) or join (path).</summary>
public sealed class LinuxNamespace
{
    /// <summary>One of <see cref="NamespaceTypes.All"/>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
}

/// <summary>A UID/GID mapping range.</summary>
public sealed class LinuxIDMapping
{
    [JsonPropertyName("containerID")] public uint ContainerId { get; set; }
    [JsonPropertyName("hostID")] public uint HostId { get; set; }
    [JsonPropertyName("size")] public uint Size { get; set; }
}

/// <summary>Offset of one clock in a time namespace.</summary>
public sealed class LinuxTimeOffset
{
    [JsonPropertyName("secs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Secs { get; set; }

    [JsonPropertyName("nanosecs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint Nanosecs { get; set; }
}

/// <summary>A hugetlb limit.</summary>
public sealed class LinuxHugepageLimit
{
    /// <summary>Format "&lt;size&gt;&lt;unit-prefix&gt;B", e.g. "2MB".</summary>
    [JsonPropertyName("pageSize")] public string? PageSize { get; set; }
    [JsonPropertyName("limit")] public ulong Limit { get; set; }
}

/// <summary>Network interface priority (net_prio).</summary>
public sealed class LinuxInterfacePriority
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("priority")] public uint Priority { get; set; }
}

/// <summary>A block device as major:minor (base of weight/throttle device entries).</summary>
public abstract class LinuxBlockIODevice
{
    // Go embeds this struct, so major/minor come first in the JSON object.
    [JsonPropertyName("major")]
    [JsonPropertyOrder(-2)]
    public long Major { get; set; }

    [JsonPropertyName("minor")]
    [JsonPropertyOrder(-1)]
    public long Minor { get; set; }
}

/// <summary>Per-device blkio weight.</summary>
public sealed class LinuxWeightDevice : LinuxBlockIODevice
{
    [JsonPropertyName("weight")] public ushort? Weight { get; set; }
    [JsonPropertyName("leafWeight")] public ushort? LeafWeight { get; set; }
}

/// <summary>Per-device blkio throttle (bytes or IOs per second).</summary>
public sealed class LinuxThrottleDevice : LinuxBlockIODevice
{
    [JsonPropertyName("rate")] public ulong Rate { get; set; }
}

/// <summary>blkio / io cgroup settings.</summary>
public sealed class LinuxBlockIO
{
    [JsonPropertyName("weight")] public ushort? Weight { get; set; }
    [JsonPropertyName("leafWeight")] public ushort? LeafWeight { get; set; }
    [JsonPropertyName("weightDevice")] public List<LinuxWeightDevice>? WeightDevice { get; set; }
    [JsonPropertyName("throttleReadBpsDevice")] public List<LinuxThrottleDevice>? ThrottleReadBpsDevice { get; set; }
    [JsonPropertyName("throttleWriteBpsDevice")] public List<LinuxThrottleDevice>? ThrottleWriteBpsDevice { get; set; }
    [JsonPropertyName("throttleReadIOPSDevice")] public List<LinuxThrottleDevice>? ThrottleReadIOPSDevice { get; set; }
    [JsonPropertyName("throttleWriteIOPSDevice")] public List<LinuxThrottleDevice>? ThrottleWriteIOPSDevice { get; set; }
}

/// <summary>memory cgroup settings (bytes; -1 means unlimited).</summary>
public sealed class LinuxMemory
{
    [JsonPropertyName("limit")] public long? Limit { get; set; }
    [JsonPropertyName("reservation")] public long? Reservation { get; set; }
    [JsonPropertyName("swap")] public long? Swap { get; set; }
    /// <summary>Deprecated (kernel memory limits are gone in cgroup v2 / kernel 5.4).</summary>
    [JsonPropertyName("kernel")] public long? Kernel { get; set; }
    [JsonPropertyName("kernelTCP")] public long? KernelTCP { get; set; }
    [JsonPropertyName("swappiness")] public ulong? Swappiness { get; set; }
    [JsonPropertyName("disableOOMKiller")] public bool? DisableOOMKiller { get; set; }
    [JsonPropertyName("useHierarchy")] public bool? UseHierarchy { get; set; }
    [JsonPropertyName("checkBeforeUpdate")] public bool? CheckBeforeUpdate { get; set; }
}

/// <summary>cpu / cpuset cgroup settings.</summary>
public sealed class LinuxCPU
{
    [JsonPropertyName("shares")] public ulong? Shares { get; set; }
    [JsonPropertyName("quota")] public long? Quota { get; set; }
    [JsonPropertyName("burst")] public ulong? Burst { get; set; }
    [JsonPropertyName("period")] public ulong? Period { get; set; }
    [JsonPropertyName("realtimeRuntime")] public long? RealtimeRuntime { get; set; }
    [JsonPropertyName("realtimePeriod")] public ulong? RealtimePeriod { get; set; }
    [JsonPropertyName("cpus")] public string? Cpus { get; set; }
    [JsonPropertyName("mems")] public string? Mems { get; set; }
    [JsonPropertyName("idle")] public long? Idle { get; set; }
}

/// <summary>pids cgroup settings.</summary>
public sealed class LinuxPids
{
    /// <summary>Maximum number of pids; 0 or negative means "no limit" (runc).</summary>
    [JsonPropertyName("limit")] public long? Limit { get; set; }
}

/// <summary>net_cls / net_prio settings.</summary>
public sealed class LinuxNetwork
{
    [JsonPropertyName("classID")] public uint? ClassID { get; set; }
    [JsonPropertyName("priorities")] public List<LinuxInterfacePriority>? Priorities { get; set; }
}

/// <summary>rdma cgroup limits of one device.</summary>
public sealed class LinuxRdma
{
    [JsonPropertyName("hcaHandles")] public uint? HcaHandles { get; set; }
    [JsonPropertyName("hcaObjects")] public uint? HcaObjects { get; set; }
}

/// <summary>cgroup resource settings (also the input of <c>update -r</c>).</summary>
public sealed class LinuxResources
{
    [JsonPropertyName("devices")] public List<LinuxDeviceCgroup>? Devices { get; set; }
    [JsonPropertyName("memory")] public LinuxMemory? Memory { get; set; }
    [JsonPropertyName("cpu")] public LinuxCPU? Cpu { get; set; }
    [JsonPropertyName("pids")] public LinuxPids? Pids { get; set; }
    [JsonPropertyName("blockIO")] public LinuxBlockIO? BlockIO { get; set; }
    [JsonPropertyName("hugepageLimits")] public List<LinuxHugepageLimit>? HugepageLimits { get; set; }
    [JsonPropertyName("network")] public LinuxNetwork? Network { get; set; }
    /// <summary>Device name → limits.</summary>
    [JsonPropertyName("rdma")] public Dictionary<string, LinuxRdma>? Rdma { get; set; }
    /// <summary>cgroup v2 file name → value.</summary>
    [JsonPropertyName("unified")] public Dictionary<string, string>? Unified { get; set; }
}

/// <summary>A device node to create in the container.</summary>
public sealed class LinuxDevice
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    /// <summary>c, b, u or p.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("major")] public long Major { get; set; }
    [JsonPropertyName("minor")] public long Minor { get; set; }
    /// <summary>Permission bits (Go os.FileMode).</summary>
    [JsonPropertyName("fileMode")] public uint? FileMode { get; set; }
    [JsonPropertyName("uid")] public uint? Uid { get; set; }
    [JsonPropertyName("gid")] public uint? Gid { get; set; }
}

/// <summary>v1.3: settings of a network device moved into the container.</summary>
public sealed class LinuxNetDevice
{
    /// <summary>Name of the device inside the container (defaults to the host name).</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }
}

/// <summary>A device cgroup allow/deny rule.</summary>
public sealed class LinuxDeviceCgroup
{
    [JsonPropertyName("allow")] public bool Allow { get; set; }
    /// <summary>a, c or b; absent means all.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    /// <summary>Absent means any (-1 / '*').</summary>
    [JsonPropertyName("major")] public long? Major { get; set; }
    [JsonPropertyName("minor")] public long? Minor { get; set; }
    /// <summary>Subset of "rwm".</summary>
    [JsonPropertyName("access")] public string? Access { get; set; }
}

/// <summary>personality(2) settings.</summary>
public sealed class LinuxPersonality
{
    /// <summary>LINUX or LINUX32.</summary>
    [JsonPropertyName("domain")] public string? Domain { get; set; }
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
}

/// <summary>Seccomp filter configuration.</summary>
public sealed class LinuxSeccomp
{
    /// <summary>SCMP_ACT_* name.</summary>
    [JsonPropertyName("defaultAction")] public string? DefaultAction { get; set; }
    [JsonPropertyName("defaultErrnoRet")] public uint? DefaultErrnoRet { get; set; }
    /// <summary>SCMP_ARCH_* names.</summary>
    [JsonPropertyName("architectures")] public List<string>? Architectures { get; set; }
    /// <summary>SECCOMP_FILTER_FLAG_* names.</summary>
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
    [JsonPropertyName("listenerPath")] public string? ListenerPath { get; set; }
    [JsonPropertyName("listenerMetadata")] public string? ListenerMetadata { get; set; }
    [JsonPropertyName("syscalls")] public List<LinuxSyscall>? Syscalls { get; set; }
}

/// <summary>A seccomp argument comparison.</summary>
public sealed class LinuxSeccompArg
{
    [JsonPropertyName("index")] public uint Index { get; set; }
    [JsonPropertyName("value")] public ulong Value { get; set; }
    [JsonPropertyName("valueTwo")] public ulong? ValueTwo { get; set; }
    /// <summary>SCMP_CMP_* name.</summary>
    [JsonPropertyName("op")] public string? Op { get; set; }
}

/// <summary>A seccomp rule for a set of syscalls.</summary>
public sealed class LinuxSyscall
{
    [JsonPropertyName("names")] public List<string>? Names { get; set; }
    /// <summary>SCMP_ACT_* name.</summary>
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("errnoRet")] public uint? ErrnoRet { get; set; }
    [JsonPropertyName("args")] public List<LinuxSeccompArg>? Args { get; set; }
}

/// <summary>Intel RDT (resctrl) settings.</summary>
public sealed class LinuxIntelRdt
{
    [JsonPropertyName("closID")] public string? ClosID { get; set; }
    /// <summary>v1.3: complete schemata lines, written as is.</summary>
    [JsonPropertyName("schemata")] public List<string>? Schemata { get; set; }
    [JsonPropertyName("l3CacheSchema")] public string? L3CacheSchema { get; set; }
    [JsonPropertyName("memBwSchema")] public string? MemBwSchema { get; set; }
    /// <summary>v1.3: create a resctrl monitoring group.</summary>
    [JsonPropertyName("enableMonitoring")] public bool? EnableMonitoring { get; set; }
}

/// <summary>v1.3: set_mempolicy(2) input.</summary>
public sealed class LinuxMemoryPolicy
{
    /// <summary>MPOL_DEFAULT, MPOL_BIND, MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE, MPOL_PREFERRED, MPOL_PREFERRED_MANY or MPOL_LOCAL.</summary>
    [JsonPropertyName("mode")] public string? Mode { get; set; }
    /// <summary>Node list such as "0-3,7".</summary>
    [JsonPropertyName("nodes")] public string? Nodes { get; set; }
    /// <summary>MPOL_F_NUMA_BALANCING, MPOL_F_RELATIVE_NODES, MPOL_F_STATIC_NODES.</summary>
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
}
