using System.Text.Json;
using System.Text.Json.Serialization;

namespace OciRuntime.Spec;

// Non-Linux platform sections of config.json. runcs never acts on them; they are
// modelled so that a config carrying them round-trips unchanged.

/// <summary>Solaris application container settings.</summary>
public sealed class Solaris
{
    [JsonPropertyName("milestone")] public string? Milestone { get; set; }
    [JsonPropertyName("limitpriv")] public string? Limitpriv { get; set; }
    [JsonPropertyName("maxShmMemory")] public string? MaxShmMemory { get; set; }
    [JsonPropertyName("anet")] public List<SolarisAnet>? Anet { get; set; }
    [JsonPropertyName("cappedCPU")] public SolarisCappedCPU? CappedCPU { get; set; }
    [JsonPropertyName("cappedMemory")] public SolarisCappedMemory? CappedMemory { get; set; }
}

public sealed class SolarisCappedCPU
{
    [JsonPropertyName("ncpus")] public string? Ncpus { get; set; }
}

public sealed class SolarisCappedMemory
{
    [JsonPropertyName("physical")] public string? Physical { get; set; }
    [JsonPropertyName("swap")] public string? Swap { get; set; }
}

public sealed class SolarisAnet
{
    [JsonPropertyName("linkname")] public string? Linkname { get; set; }
    [JsonPropertyName("lowerLink")] public string? LowerLink { get; set; }
    [JsonPropertyName("allowedAddress")] public string? AllowedAddress { get; set; }
    [JsonPropertyName("configureAllowedAddress")] public string? ConfigureAllowedAddress { get; set; }
    [JsonPropertyName("defrouter")] public string? Defrouter { get; set; }
    [JsonPropertyName("linkProtection")] public string? LinkProtection { get; set; }
    [JsonPropertyName("macAddress")] public string? MacAddress { get; set; }
}

/// <summary>Windows container settings.</summary>
public sealed class Windows
{
    [JsonPropertyName("layerFolders")] public List<string>? LayerFolders { get; set; }
    [JsonPropertyName("devices")] public List<WindowsDevice>? Devices { get; set; }
    [JsonPropertyName("resources")] public WindowsResources? Resources { get; set; }
    /// <summary>Arbitrary JSON object (gMSA credential spec), kept verbatim.</summary>
    [JsonPropertyName("credentialSpec")] public JsonElement? CredentialSpec { get; set; }
    [JsonPropertyName("servicing")] public bool? Servicing { get; set; }
    [JsonPropertyName("ignoreFlushesDuringBoot")] public bool? IgnoreFlushesDuringBoot { get; set; }
    [JsonPropertyName("hyperv")] public WindowsHyperV? Hyperv { get; set; }
    [JsonPropertyName("network")] public WindowsNetwork? Network { get; set; }
}

public sealed class WindowsDevice
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("idType")] public string? IdType { get; set; }
}

public sealed class WindowsResources
{
    [JsonPropertyName("memory")] public WindowsMemoryResources? Memory { get; set; }
    [JsonPropertyName("cpu")] public WindowsCPUResources? Cpu { get; set; }
    [JsonPropertyName("storage")] public WindowsStorageResources? Storage { get; set; }
}

public sealed class WindowsMemoryResources
{
    [JsonPropertyName("limit")] public ulong? Limit { get; set; }
}

public sealed class WindowsCPUResources
{
    [JsonPropertyName("count")] public ulong? Count { get; set; }
    [JsonPropertyName("shares")] public ushort? Shares { get; set; }
    [JsonPropertyName("maximum")] public ushort? Maximum { get; set; }
    [JsonPropertyName("affinity")] public List<WindowsCPUGroupAffinity>? Affinity { get; set; }
}

public sealed class WindowsCPUGroupAffinity
{
    [JsonPropertyName("mask")] public ulong? Mask { get; set; }
    [JsonPropertyName("group")] public uint? Group { get; set; }
}

public sealed class WindowsStorageResources
{
    [JsonPropertyName("iops")] public ulong? Iops { get; set; }
    [JsonPropertyName("bps")] public ulong? Bps { get; set; }
    [JsonPropertyName("sandboxSize")] public ulong? SandboxSize { get; set; }
}

public sealed class WindowsNetwork
{
    [JsonPropertyName("endpointList")] public List<string>? EndpointList { get; set; }
    [JsonPropertyName("allowUnqualifiedDNSQuery")] public bool? AllowUnqualifiedDNSQuery { get; set; }
    [JsonPropertyName("DNSSearchList")] public List<string>? DNSSearchList { get; set; }
    [JsonPropertyName("networkSharedContainerName")] public string? NetworkSharedContainerName { get; set; }
    [JsonPropertyName("networkNamespace")] public string? NetworkNamespace { get; set; }
}

public sealed class WindowsHyperV
{
    [JsonPropertyName("utilityVMPath")] public string? UtilityVMPath { get; set; }
}

/// <summary>Virtual-machine-based container settings.</summary>
public sealed class VM
{
    [JsonPropertyName("hypervisor")] public VMHypervisor? Hypervisor { get; set; }
    [JsonPropertyName("kernel")] public VMKernel? Kernel { get; set; }
    [JsonPropertyName("image")] public VMImage? Image { get; set; }
    [JsonPropertyName("hwconfig")] public HWConfig? Hwconfig { get; set; }
}

public sealed class VMHypervisor
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("parameters")] public List<string>? Parameters { get; set; }
}

public sealed class VMKernel
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("parameters")] public List<string>? Parameters { get; set; }
    [JsonPropertyName("initrd")] public string? Initrd { get; set; }
}

public sealed class VMImage
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("format")] public string? Format { get; set; }
}

public sealed class HWConfig
{
    [JsonPropertyName("deviceTree")] public string? DeviceTree { get; set; }
    [JsonPropertyName("vcpus")] public uint? Vcpus { get; set; }
    [JsonPropertyName("memory")] public ulong? Memory { get; set; }
    [JsonPropertyName("dtdevs")] public List<string>? Dtdevs { get; set; }
    [JsonPropertyName("iomems")] public List<IOMems>? Iomems { get; set; }
    [JsonPropertyName("irqs")] public List<uint>? Irqs { get; set; }
}

public sealed class IOMems
{
    [JsonPropertyName("firstGFN")] public ulong? FirstGFN { get; set; }
    [JsonPropertyName("firstMFN")] public ulong? FirstMFN { get; set; }
    [JsonPropertyName("nrMFNs")] public ulong? NrMFNs { get; set; }
}

/// <summary>z/OS container settings.</summary>
public sealed class ZOS
{
    [JsonPropertyName("namespaces")] public List<ZOSNamespace>? Namespaces { get; set; }
}

public sealed class ZOSNamespace
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
}

/// <summary>FreeBSD container settings.</summary>
public sealed class FreeBSD
{
    [JsonPropertyName("devices")] public List<FreeBSDDevice>? Devices { get; set; }
    [JsonPropertyName("jail")] public FreeBSDJail? Jail { get; set; }
}

public sealed class FreeBSDDevice
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("mode")] public uint? Mode { get; set; }
}

public sealed class FreeBSDJail
{
    [JsonPropertyName("parent")] public string? Parent { get; set; }
    [JsonPropertyName("host")] public string? Host { get; set; }
    [JsonPropertyName("ip4")] public string? Ip4 { get; set; }
    [JsonPropertyName("ip4Addr")] public List<string>? Ip4Addr { get; set; }
    [JsonPropertyName("ip6")] public string? Ip6 { get; set; }
    [JsonPropertyName("ip6Addr")] public List<string>? Ip6Addr { get; set; }
    [JsonPropertyName("vnet")] public string? Vnet { get; set; }
    [JsonPropertyName("interface")] public string? Interface { get; set; }
    [JsonPropertyName("vnetInterfaces")] public List<string>? VnetInterfaces { get; set; }
    [JsonPropertyName("sysvmsg")] public string? Sysvmsg { get; set; }
    [JsonPropertyName("sysvsem")] public string? Sysvsem { get; set; }
    [JsonPropertyName("sysvshm")] public string? Sysvshm { get; set; }
    [JsonPropertyName("enforceStatfs")] public int? EnforceStatfs { get; set; }
    [JsonPropertyName("allow")] public FreeBSDJailAllow? Allow { get; set; }
}

public sealed class FreeBSDJailAllow
{
    [JsonPropertyName("setHostname")] public bool? SetHostname { get; set; }
    [JsonPropertyName("rawSockets")] public bool? RawSockets { get; set; }
    [JsonPropertyName("chflags")] public bool? Chflags { get; set; }
    [JsonPropertyName("mount")] public List<string>? Mount { get; set; }
    [JsonPropertyName("quotas")] public bool? Quotas { get; set; }
    [JsonPropertyName("socketAf")] public bool? SocketAf { get; set; }
    [JsonPropertyName("mlock")] public bool? Mlock { get; set; }
    [JsonPropertyName("reservedPorts")] public bool? ReservedPorts { get; set; }
    [JsonPropertyName("suser")] public bool? Suser { get; set; }
}
