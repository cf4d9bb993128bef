using System.Text.Json.Serialization;
using Runcs.Bootstrap;
using Runcs.Container;

namespace Runcs;

/// <summary>Source-generated JSON for runcs's own documents (no reflection, NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(InitConfig))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(Cgroups.Event))]
internal partial class RuntimeJson : JsonSerializerContext
{
}

/// <summary>
/// The writer of init's configuration (state.json and `state`: <see cref="Container.DocumentWriter"/>):
/// serialization-only source generation writes them straight to a Utf8JsonWriter without
/// building the property metadata <see cref="RuntimeJson"/> needs for reading (milliseconds
/// in a fresh process). Readers: <see cref="RuntimeJsonReader"/>, then <see cref="RuntimeJson"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(InitConfig))]
internal partial class RuntimeJsonWriter : JsonSerializerContext
{
}
