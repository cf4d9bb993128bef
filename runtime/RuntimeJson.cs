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

/// <summary>
/// Writers of the documents every container start writes (state.json, init's configuration):
/// serialization-only source generation writes them straight to a Utf8JsonWriter without
/// building the property metadata <see cref="RuntimeJson"/> needs for reading (milliseconds
/// in a fresh process). Readers: <see cref="RuntimeJsonReader"/>, then <see cref="RuntimeJson"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(InitConfig))]
internal partial class RuntimeJsonWriter : JsonSerializerContext
{
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(StateOutput))]
[JsonSerializable(typeof(List<StateOutput>))]
internal partial class RuntimeJsonIndented : JsonSerializerContext
{
}
