using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OciRuntime.Spec;

/// <summary>
/// Parsing and serialization of spec documents (source-generated, no reflection).
/// Parse errors become a one-line <see cref="SpecException"/> naming the file label,
/// the 1-based line and column, and for a wrongly typed value its JSON path.
/// </summary>
public static class SpecJson
{
    /// <summary>Indentation used by <c>runc spec</c> (json.MarshalIndent with "\t").</summary>
    public const string TabIndent = "\t";

    private static readonly ConcurrentDictionary<string, SpecJsonContext> Contexts = new(StringComparer.Ordinal);

    public static Spec ParseSpec(string json, string label = "config.json") =>
        Fast(json, SpecReader.ReadSpec) ?? Parse(json, label, SpecJsonContext.Default.Spec);

    /// <summary>Parses exec's process.json (a bare Process object).</summary>
    public static Process ParseProcess(string json, string label = "process.json") =>
        Fast(json, SpecReader.ReadProcess) ?? Parse(json, label, SpecJsonContext.Default.Process);

    /// <summary>Parses a linux.seccomp object (handed to an exec'd process's init).</summary>
    public static LinuxSeccomp ParseSeccomp(string json, string label = "seccomp") =>
        Fast(json, SpecReader.ReadLinuxSeccomp) ?? Parse(json, label, SpecJsonContext.Default.LinuxSeccomp);

    /// <summary>Parses the LinuxResources document of <c>update -r</c>.</summary>
    public static LinuxResources ParseResources(string json, string label = "resources") =>
        Fast(json, SpecReader.ReadLinuxResources) ?? Parse(json, label, SpecJsonContext.Default.LinuxResources);

    public static State ParseState(string json, string label = "state.json") =>
        Parse(json, label, SpecJsonContext.Default.State);

    public static Features ParseFeatures(string json, string label = "features") =>
        Parse(json, label, SpecJsonContext.Default.Features);

    public static ContainerProcessState ParseContainerProcessState(string json, string label = "container process state") =>
        Parse(json, label, SpecJsonContext.Default.ContainerProcessState);

    // Serialization. `indent` is the per-level indentation ("\t", "  ", "    " ...);
    // null writes compact single-line JSON. No trailing newline is appended.

    /// <summary>Serializes a config; by default tab-indented exactly like <c>runc spec</c>.</summary>
    public static string Serialize(Spec spec, string? indent = TabIndent) =>
        JsonSerializer.Serialize(spec, ContextFor(indent).Spec);

    public static string Serialize(Process process, string? indent = TabIndent) =>
        JsonSerializer.Serialize(process, ContextFor(indent).Process);

    public static string Serialize(LinuxResources resources, string? indent = null) =>
        JsonSerializer.Serialize(resources, ContextFor(indent).LinuxResources);

    /// <summary>Serializes a state document; compact by default (runc's <c>state</c> command uses two spaces).</summary>
    public static string Serialize(State state, string? indent = null) =>
        JsonSerializer.Serialize(state, ContextFor(indent).State);

    /// <summary>Serializes a features document; four-space indented by default, like runc's <c>features</c>.</summary>
    public static string Serialize(Features features, string? indent = "    ") =>
        JsonSerializer.Serialize(features, ContextFor(indent).Features);

    public static string Serialize(ContainerProcessState state, string? indent = null) =>
        JsonSerializer.Serialize(state, ContextFor(indent).ContainerProcessState);

    /// <summary>The hand-made reader's result, or null to parse with the generated path (see <see cref="SpecReader"/>).</summary>
    private static T? Fast<T>(string json, SpecReader.ReadOne<T> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        return SpecReader.TryRead(json, read);
    }

    private static T Parse<T>(string json, string label, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(label);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException e)
        {
            throw JsonErrors.Translate(e, json, label, typeInfo);
        }

        return value ?? throw new SpecException($"{label}: invalid JSON at line 1, column 1: expected an object, found null", string.Empty);
    }

    private static SpecJsonContext ContextFor(string? indent)
    {
        string key = indent ?? string.Empty;
        return Contexts.GetOrAdd(key, static k => new SpecJsonContext(CreateOptions(k)));
    }

    private static JsonSerializerOptions CreateOptions(string indent)
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = true,
            // Go's encoder leaves non-ASCII and '+' alone; the default web encoder would not.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NewLine = "\n",
        };
        if (indent.Length > 0)
        {
            char c = indent[0];
            if ((c != ' ' && c != '\t') || indent.AsSpan().ContainsAnyExcept(c) || indent.Length > 127)
            {
                throw new ArgumentException("indent must consist of up to 127 spaces or tabs", nameof(indent));
            }

            options.WriteIndented = true;
            options.IndentCharacter = c;
            options.IndentSize = indent.Length;
        }

        return options;
    }
}
