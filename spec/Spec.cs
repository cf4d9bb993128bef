using System.Text.Json.Serialization;

namespace OciRuntime.Spec;

// Model of the OCI runtime-spec config.json (v1.2 plus v1.3 additions).
// Class names follow the Go types of github.com/opencontainers/runtime-spec/specs-go,
// property order follows the Go struct field order (so serialization matches Go's
// json.Marshal output), and every property carries its exact JSON name.
//
// Nullability rule: Go fields that are pointers or `omitempty` are nullable here
// (absent stays null and is not written back); Go fields that are plain required
// scalars (e.g. user.uid, rlimit hard/soft, idmapping sizes) are non-nullable and are
// always written, exactly as Go does.

/// <summary>The container configuration (config.json).</summary>
public sealed class Spec
{
    /// <summary>Version of the runtime spec the bundle complies with.</summary>
    [JsonPropertyName("ociVersion")] public string? OciVersion { get; set; }
    [JsonPropertyName("process")] public Process? Process { get; set; }
    [JsonPropertyName("root")] public Root? Root { get; set; }
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("domainname")] public string? Domainname { get; set; }
    [JsonPropertyName("mounts")] public List<Mount>? Mounts { get; set; }
    [JsonPropertyName("hooks")] public Hooks? Hooks { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("linux")] public Linux? Linux { get; set; }
    [JsonPropertyName("solaris")] public Solaris? Solaris { get; set; }
    [JsonPropertyName("windows")] public Windows? Windows { get; set; }
    [JsonPropertyName("vm")] public VM? Vm { get; set; }
    [JsonPropertyName("zos")] public ZOS? Zos { get; set; }
    [JsonPropertyName("freebsd")] public FreeBSD? Freebsd { get; set; }
}

/// <summary>Scheduling attributes of a process (sched_setattr(2)).</summary>
public sealed class Scheduler
{
    /// <summary>SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE or SCHED_DEADLINE.</summary>
    [JsonPropertyName("policy")] public string? Policy { get; set; }
    [JsonPropertyName("nice")] public int? Nice { get; set; }
    [JsonPropertyName("priority")] public int? Priority { get; set; }
    /// <summary>SCHED_FLAG_* names.</summary>
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
    [JsonPropertyName("runtime")] public ulong? Runtime { get; set; }
    [JsonPropertyName("deadline")] public ulong? Deadline { get; set; }
    [JsonPropertyName("period")] public ulong? Period { get; set; }
}

/// <summary>The container process (also the whole of exec's process.json).</summary>
public sealed class Process
{
    [JsonPropertyName("terminal")] public bool? Terminal { get; set; }
    [JsonPropertyName("consoleSize")] public Box? ConsoleSize { get; set; }
    [JsonPropertyName("user")] public User? User { get; set; }
    [JsonPropertyName("args")] public List<string>? Args { get; set; }
    /// <summary>Windows only.</summary>
    [JsonPropertyName("commandLine")] public string? CommandLine { get; set; }
    [JsonPropertyName("env")] public List<string>? Env { get; set; }
    [JsonPropertyName("cwd")] public string? Cwd { get; set; }
    [JsonPropertyName("capabilities")] public LinuxCapabilities? Capabilities { get; set; }
    [JsonPropertyName("rlimits")] public List<POSIXRlimit>? Rlimits { get; set; }
    [JsonPropertyName("noNewPrivileges")] public bool? NoNewPrivileges { get; set; }
    [JsonPropertyName("apparmorProfile")] public string? ApparmorProfile { get; set; }
    [JsonPropertyName("oomScoreAdj")] public int? OomScoreAdj { get; set; }
    [JsonPropertyName("scheduler")] public Scheduler? Scheduler { get; set; }
    [JsonPropertyName("selinuxLabel")] public string? SelinuxLabel { get; set; }
    [JsonPropertyName("ioPriority")] public LinuxIOPriority? IOPriority { get; set; }
    [JsonPropertyName("execCPUAffinity")] public CPUAffinity? ExecCPUAffinity { get; set; }
}

/// <summary>Capability sets kept for the process; names carry the CAP_ prefix.</summary>
public sealed class LinuxCapabilities
{
    [JsonPropertyName("bounding")] public List<string>? Bounding { get; set; }
    [JsonPropertyName("effective")] public List<string>? Effective { get; set; }
    [JsonPropertyName("inheritable")] public List<string>? Inheritable { get; set; }
    [JsonPropertyName("permitted")] public List<string>? Permitted { get; set; }
    [JsonPropertyName("ambient")] public List<string>? Ambient { get; set; }
}

/// <summary>I/O priority (ioprio_set(2)).</summary>
public sealed class LinuxIOPriority
{
    /// <summary>IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE.</summary>
    [JsonPropertyName("class")] public string? Class { get; set; }
    [JsonPropertyName("priority")] public int Priority { get; set; }
}

/// <summary>CPU affinity applied to exec'd processes (cpu list strings such as "0-3,7").</summary>
public sealed class CPUAffinity
{
    [JsonPropertyName("initial")] public string? Initial { get; set; }
    [JsonPropertyName("final")] public string? Final { get; set; }
}

/// <summary>Console size.</summary>
public sealed class Box
{
    [JsonPropertyName("height")] public uint Height { get; set; }
    [JsonPropertyName("width")] public uint Width { get; set; }
}

/// <summary>User and group identity of the process.</summary>
public sealed class User
{
    [JsonPropertyName("uid")] public uint Uid { get; set; }
    [JsonPropertyName("gid")] public uint Gid { get; set; }
    [JsonPropertyName("umask")] public uint? Umask { get; set; }
    [JsonPropertyName("additionalGids")] public List<uint>? AdditionalGids { get; set; }
    /// <summary>Windows only.</summary>
    [JsonPropertyName("username")] public string? Username { get; set; }
}

/// <summary>The container's root filesystem.</summary>
public sealed class Root
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("readonly")] public bool? Readonly { get; set; }
}

/// <summary>A mount inside the container.</summary>
public sealed class Mount
{
    [JsonPropertyName("destination")] public string? Destination { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("options")] public List<string>? Options { get; set; }
    /// <summary>ID mappings for an idmapped mount.</summary>
    [JsonPropertyName("uidMappings")] public List<LinuxIDMapping>? UidMappings { get; set; }
    [JsonPropertyName("gidMappings")] public List<LinuxIDMapping>? GidMappings { get; set; }
}

/// <summary>A lifecycle hook command.</summary>
public sealed class Hook
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("args")] public List<string>? Args { get; set; }
    [JsonPropertyName("env")] public List<string>? Env { get; set; }
    /// <summary>Timeout in seconds.</summary>
    [JsonPropertyName("timeout")] public int? Timeout { get; set; }
}

/// <summary>Lifecycle hooks.</summary>
public sealed class Hooks
{
    /// <summary>Deprecated in the spec; still run by runc (runtime namespace, before pivot_root).</summary>
    [JsonPropertyName("prestart")] public List<Hook>? Prestart { get; set; }
    [JsonPropertyName("createRuntime")] public List<Hook>? CreateRuntime { get; set; }
    [JsonPropertyName("createContainer")] public List<Hook>? CreateContainer { get; set; }
    [JsonPropertyName("startContainer")] public List<Hook>? StartContainer { get; set; }
    [JsonPropertyName("poststart")] public List<Hook>? Poststart { get; set; }
    [JsonPropertyName("poststop")] public List<Hook>? Poststop { get; set; }
}

/// <summary>A POSIX resource limit for the process.</summary>
public sealed class POSIXRlimit
{
    /// <summary>RLIMIT_* name.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("hard")] public ulong Hard { get; set; }
    [JsonPropertyName("soft")] public ulong Soft { get; set; }
}
