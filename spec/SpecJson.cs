using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace OciRuntime.Spec;

/// <summary>
/// Parsing and serialization of spec documents (source-generated, no reflection).
/// Parse errors become a one-line <see cref="SpecException"/> naming the file label,
/// the 1-based line and column, and for a wrongly typed value its JSON path.
/// </summary>
public static partial class SpecJson
{
    /// <summary>Indentation used by <c>runc spec</c> (json.MarshalIndent with "\t").</summary>
    public const string TabIndent = "\t";

    private static readonly ConcurrentDictionary<string, SpecJsonContext> Contexts = new(StringComparer.Ordinal);

    public static Spec ParseSpec(string json, string label = "config.json") =>
        Parse(json, label, SpecJsonContext.Default.Spec);

    /// <summary>Parses exec's process.json (a bare Process object).</summary>
    public static Process ParseProcess(string json, string label = "process.json") =>
        Parse(json, label, SpecJsonContext.Default.Process);

    /// <summary>Parses the LinuxResources document of <c>update -r</c>.</summary>
    public static LinuxResources ParseResources(string json, string label = "resources") =>
        Parse(json, label, SpecJsonContext.Default.LinuxResources);

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

    private static T Parse<T>(string json, string label, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException e)
        {
            throw Translate(e, json, label);
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

    private static SpecException Translate(JsonException e, string json, string label)
    {
        long line = e.LineNumber ?? 0;
        long bytePos = e.BytePositionInLine ?? 0;
        string? path = NormalizePath(e.Path);

        Match conversion = ConversionRegex().Match(e.Message);
        if (conversion.Success)
        {
            // System.Text.Json reports the position just after the offending value;
            // point at the start of that value instead.
            (line, bytePos) = StartOfTokenBefore(json, line, bytePos);
            string expected = DescribeType(conversion.Groups[1].Value);
            string at = string.IsNullOrEmpty(path) ? "(document)" : path;
            return new SpecException($"{label}: invalid JSON at line {line + 1}, column {bytePos + 1}: {at}: expected {expected}", path, e);
        }

        string reason = string.IsNullOrWhiteSpace(json) ? "no JSON value (empty document)" : ShortReason(e.Message);
        return new SpecException($"{label}: invalid JSON at line {line + 1}, column {bytePos + 1}: {reason}", path, e);
    }

    /// <summary>
    /// Given a 0-based (line, byte-in-line) position just after a token, returns the
    /// 0-based position of the start of that token; the input position if it cannot be found.
    /// </summary>
    private static (long Line, long BytePos) StartOfTokenBefore(string json, long line, long bytePos)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        long offset = 0;
        for (long l = 0; l < line; l++)
        {
            int nl = Array.IndexOf(utf8, (byte)'\n', (int)offset);
            if (nl < 0)
            {
                return (line, bytePos);
            }

            offset = nl + 1;
        }

        offset += bytePos;
        long start = -1;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read() && reader.TokenStartIndex < offset)
            {
                start = reader.TokenStartIndex;
            }
        }
        catch (JsonException)
        {
            // Fall through with whatever token start was found before the syntax error.
        }

        if (start < 0)
        {
            return (line, bytePos);
        }

        int lastNl = Array.LastIndexOf(utf8, (byte)'\n', (int)Math.Max(0, start - 1), (int)start);
        long startLine = 0;
        for (int i = 0; i < start; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                startLine++;
            }
        }

        return (startLine, start - (lastNl + 1));
    }

    /// <summary>"$.linux.namespaces[2].type" → "linux.namespaces[2].type"; "$" → "".</summary>
    internal static string? NormalizePath(string? jsonPath)
    {
        if (jsonPath is null)
        {
            return null;
        }

        string p = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        return p.StartsWith('.') ? p[1..] : p;
    }

    private static string ShortReason(string message)
    {
        // Drop System.Text.Json's " Path: $.x | LineNumber: 2 | BytePositionInLine: 6." trailer.
        string reason = message;
        foreach (string marker in (ReadOnlySpan<string>)[" Path: ", " LineNumber: ", " | LineNumber"])
        {
            int i = reason.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0)
            {
                reason = reason[..i];
            }
        }

        reason = reason.Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal);
        reason = reason.Replace('\n', ' ').Replace('\r', ' ').Trim();
        if (reason.EndsWith('.'))
        {
            reason = reason[..^1];
        }

        return reason.Length == 0 ? "syntax error" : reason;
    }

    private static string DescribeType(string clrType)
    {
        string t = clrType;
        Match nullable = NullableRegex().Match(t);
        if (nullable.Success)
        {
            t = nullable.Groups[1].Value;
        }

        return t switch
        {
            "System.String" => "a string",
            "System.Boolean" => "a boolean",
            "System.Int32" => "an int32 number",
            "System.UInt32" => "a uint32 number",
            "System.Int64" => "an int64 number",
            "System.UInt64" => "a uint64 number",
            "System.UInt16" => "a uint16 number",
            _ when t.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
            _ when t.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "an object",
            _ when t.StartsWith("OciRuntime.Spec.", StringComparison.Ordinal) => "an object",
            _ => t,
        };
    }

    [GeneratedRegex(@"could not be converted to ([^ ]+?)\.(?: Path:| LineNumber:|$)")]
    private static partial Regex ConversionRegex();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?([^,\]]+)")]
    private static partial Regex NullableRegex();
}
