using System.Text.Json.Serialization;

namespace Runcs.Container;

/// <summary>The identity of one namespace of init, recorded at create and replayed by exec.</summary>
public sealed class NamespaceRecord
{
    [JsonPropertyName("inode")] public ulong Inode { get; set; }
    [JsonPropertyName("device")] public ulong Device { get; set; }
    [JsonPropertyName("origin")] public string Origin { get; set; } = "";
    [JsonPropertyName("path")] public string? Path { get; set; }
}

/// <summary>What runcs keeps about a container in its state directory (state.json).</summary>
public sealed class ContainerState
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("initPid")] public int InitPid { get; set; }
    /// <summary>Field 22 of /proc/PID/stat: tells a reused pid from init.</summary>
    [JsonPropertyName("initStartTime")] public ulong InitStartTime { get; set; }
    [JsonPropertyName("bundle")] public string Bundle { get; set; } = "";
    [JsonPropertyName("rootfs")] public string Rootfs { get; set; } = "";
    [JsonPropertyName("created")] public DateTime Created { get; set; }
    [JsonPropertyName("owner")] public string Owner { get; set; } = "";
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    /// <summary>Keyed by the /proc/PID/ns name (mnt, uts, ipc, net, pid, user, cgroup, time).</summary>
    [JsonPropertyName("namespaces")] public Dictionary<string, NamespaceRecord> Namespaces { get; set; } = new();
    /// <summary>The container's cgroup in each hierarchy (hierarchy key → path inside it).</summary>
    [JsonPropertyName("cgroupPaths")] public Dictionary<string, string> CgroupPaths { get; set; } = new();
    [JsonPropertyName("systemdCgroup")] public bool SystemdCgroup { get; set; }
    /// <summary>Whether start/delete must read the saved config for hooks (saves a parse otherwise).</summary>
    [JsonPropertyName("startHooks")] public bool StartHooks { get; set; }
    [JsonPropertyName("poststopHooks")] public bool PoststopHooks { get; set; }
    [JsonPropertyName("rootless")] public bool Rootless { get; set; }
}

/// <summary>The document `runcs state` prints: the OCI state plus runc's extra keys and the namespace record.</summary>
public sealed class StateOutput
{
    [JsonPropertyName("ociVersion")] public string OciVersion { get; set; } = "";
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("pid")] public int Pid { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("bundle")] public string Bundle { get; set; } = "";
    [JsonPropertyName("rootfs")] public string Rootfs { get; set; } = "";
    [JsonPropertyName("created")] public string Created { get; set; } = "";
    [JsonPropertyName("owner")] public string Owner { get; set; } = "";
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("namespaces")] public Dictionary<string, NamespaceRecord>? Namespaces { get; set; }
}
