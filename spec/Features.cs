using System.Text.Json.Serialization;

namespace OciRuntime.Spec;

// The features document (runtime-spec features.md, specs-go/features).
// Every field is optional: null means "unknown", not "unsupported".

/// <summary>Output of the <c>features</c> command.</summary>
public sealed class Features
{
    [JsonPropertyName("ociVersionMin")] public string? OciVersionMin { get; set; }
    [JsonPropertyName("ociVersionMax")] public string? OciVersionMax { get; set; }
    [JsonPropertyName("hooks")] public List<string>? Hooks { get; set; }
    [JsonPropertyName("mountOptions")] public List<string>? MountOptions { get; set; }
    [JsonPropertyName("linux")] public LinuxFeatures? Linux { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    /// <summary>Annotation names (or prefixes ending in '.') that may be unsafe in config.json.</summary>
    [JsonPropertyName("potentiallyUnsafeConfigAnnotations")] public List<string>? PotentiallyUnsafeConfigAnnotations { get; set; }
}

public sealed class LinuxFeatures
{
    [JsonPropertyName("namespaces")] public List<string>? Namespaces { get; set; }
    [JsonPropertyName("capabilities")] public List<string>? Capabilities { get; set; }
    [JsonPropertyName("cgroup")] public CgroupFeatures? Cgroup { get; set; }
    [JsonPropertyName("seccomp")] public SeccompFeatures? Seccomp { get; set; }
    [JsonPropertyName("apparmor")] public ApparmorFeatures? Apparmor { get; set; }
    [JsonPropertyName("selinux")] public SelinuxFeatures? Selinux { get; set; }
    [JsonPropertyName("intelRdt")] public IntelRdtFeatures? IntelRdt { get; set; }
    [JsonPropertyName("memoryPolicy")] public MemoryPolicyFeatures? MemoryPolicy { get; set; }
    [JsonPropertyName("mountExtensions")] public MountExtensionsFeatures? MountExtensions { get; set; }
    [JsonPropertyName("netDevices")] public NetDevicesFeatures? NetDevices { get; set; }
}

public sealed class CgroupFeatures
{
    [JsonPropertyName("v1")] public bool? V1 { get; set; }
    [JsonPropertyName("v2")] public bool? V2 { get; set; }
    [JsonPropertyName("systemd")] public bool? Systemd { get; set; }
    [JsonPropertyName("systemdUser")] public bool? SystemdUser { get; set; }
    [JsonPropertyName("rdma")] public bool? Rdma { get; set; }
}

public sealed class SeccompFeatures
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
    [JsonPropertyName("actions")] public List<string>? Actions { get; set; }
    [JsonPropertyName("operators")] public List<string>? Operators { get; set; }
    [JsonPropertyName("archs")] public List<string>? Archs { get; set; }
    [JsonPropertyName("knownFlags")] public List<string>? KnownFlags { get; set; }
    [JsonPropertyName("supportedFlags")] public List<string>? SupportedFlags { get; set; }
}

public sealed class ApparmorFeatures
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
}

public sealed class SelinuxFeatures
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
}

public sealed class IntelRdtFeatures
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
    /// <summary>v1.3: linux.intelRdt.schemata is implemented.</summary>
    [JsonPropertyName("schemata")] public bool? Schemata { get; set; }
    /// <summary>v1.3: linux.intelRdt.enableMonitoring is implemented.</summary>
    [JsonPropertyName("monitoring")] public bool? Monitoring { get; set; }
}

public sealed class MemoryPolicyFeatures
{
    [JsonPropertyName("modes")] public List<string>? Modes { get; set; }
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
}

public sealed class MountExtensionsFeatures
{
    [JsonPropertyName("idmap")] public IdmapFeatures? Idmap { get; set; }
}

public sealed class IdmapFeatures
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
}

public sealed class NetDevicesFeatures
{
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
}
