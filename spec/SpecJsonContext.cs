using System.Text.Json.Serialization;

namespace OciRuntime.Spec;

/// <summary>
/// Source-generated System.Text.Json metadata for every spec document. The default
/// options: null members are not written, unknown members are skipped, and property
/// names match case-insensitively (as Go's encoding/json does, so runc-accepted files
/// parse). Use <see cref="SpecJson"/> rather than this type directly.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    WriteIndented = false)]
[JsonSerializable(typeof(Spec))]
[JsonSerializable(typeof(State))]
[JsonSerializable(typeof(Features))]
[JsonSerializable(typeof(Process))]
[JsonSerializable(typeof(LinuxResources))]
[JsonSerializable(typeof(ContainerProcessState))]
public sealed partial class SpecJsonContext : JsonSerializerContext
{
}
