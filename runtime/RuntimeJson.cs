using System.Text.Json.Serialization;
using Runcs.Bootstrap;
using Runcs.Container;

namespace Runcs;

/// <summary>Source-generated JSON for runcs's own documents (no reflection, NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(StateOutput))]
[JsonSerializable(typeof(List<StateOutput>))]
[JsonSerializable(typeof(InitConfig))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(Cgroups.Event))]
internal partial class RuntimeJson : JsonSerializerContext
{
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(StateOutput))]
[JsonSerializable(typeof(List<StateOutput>))]
internal partial class RuntimeJsonIndented : JsonSerializerContext
{
}
