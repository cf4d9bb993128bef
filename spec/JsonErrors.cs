using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OciRuntime.Spec;

/// <summary>
/// Turns System.Text.Json exceptions into one-line <see cref="SpecException"/>s
/// ("label: invalid JSON at line L, column C: ..."; L and C are 1-based, C counts characters).
/// Deliberately independent of exception message texts (which are bare resource
/// keys in trimmed builds with UseSystemResourceKeys): a syntax error is located by
/// re-scanning the input with <see cref="Utf8JsonReader"/>, and the expected type of a
/// mismatched value is looked up in the source-generated metadata via the JSON path.
/// </summary>
internal static class JsonErrors
{
    public static SpecException Translate(JsonException e, string json, string label, JsonTypeInfo rootInfo)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        long line = e.LineNumber ?? 0;
        long pos = e.BytePositionInLine ?? 0;
        string? path = NormalizePath(e.Path);

        if (FindSyntaxError(utf8) is { } syntax
            && (syntax.Line < line || (syntax.Line == line && syntax.BytePos <= pos)))
        {
            string reason = json.AsSpan().Trim().IsEmpty
                ? "empty document"
                : DescribeByteAt(utf8, syntax.Line, syntax.BytePos);
            return new SpecException(
                $"{label}: invalid JSON at line {syntax.Line + 1}, column {ColumnOf(utf8, syntax.Line, syntax.BytePos)}: {reason}", path, e);
        }

        // A well-formed document whose value does not fit the model. System.Text.Json
        // reports the position just after the offending token; point at its start.
        (line, pos) = StartOfTokenBefore(utf8, line, pos);
        string at = string.IsNullOrEmpty(path) ? "(document)" : path;
        string what = ExpectedAt(rootInfo, e.Path) is { } expected ? "expected " + expected : "invalid value";
        return new SpecException($"{label}: invalid JSON at line {line + 1}, column {ColumnOf(utf8, line, pos)}: {at}: {what}", path, e);
    }

    /// <summary>1-based column in characters (Unicode scalar values) of a 0-based (line, byte-in-line) position.</summary>
    private static long ColumnOf(byte[] utf8, long line, long bytePos)
    {
        long start = OffsetOf(utf8, line, 0);
        if (start < 0)
        {
            return bytePos + 1;
        }

        long column = 1;
        for (long i = start; i < start + bytePos && i < utf8.Length; i++)
        {
            if ((utf8[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return column + Math.Max(0, start + bytePos - utf8.Length);
    }

    /// <summary>"$.linux.namespaces[2].type" → "linux.namespaces[2].type"; "$" → "".</summary>
    public static string? NormalizePath(string? jsonPath)
    {
        if (jsonPath is null)
        {
            return null;
        }

        string p = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        return p.StartsWith('.') ? p[1..] : p;
    }

    /// <summary>Position (0-based line, byte in line) of the first syntax error, or null if the document is well formed.</summary>
    private static (long Line, long BytePos)? FindSyntaxError(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException r)
        {
            return (r.LineNumber ?? 0, r.BytePositionInLine ?? 0);
        }
    }

    private static string DescribeByteAt(byte[] utf8, long line, long bytePos)
    {
        long offset = OffsetOf(utf8, line, bytePos);
        if (offset < 0 || offset >= utf8.Length)
        {
            return "unexpected end of input";
        }

        if (Rune.DecodeFromUtf8(utf8.AsSpan((int)offset), out Rune rune, out _) != System.Buffers.OperationStatus.Done)
        {
            return "invalid UTF-8";
        }

        return Rune.IsControl(rune)
            ? $"unexpected control character U+{rune.Value:X4}"
            : $"unexpected character '{rune}'";
    }

    /// <summary>Absolute byte offset of (line, byte in line), or -1 if there is no such line.</summary>
    private static long OffsetOf(byte[] utf8, long line, long bytePos)
    {
        long offset = 0;
        for (long l = 0; l < line; l++)
        {
            int nl = Array.IndexOf(utf8, (byte)'\n', (int)offset);
            if (nl < 0)
            {
                return -1;
            }

            offset = nl + 1;
        }

        return offset + bytePos;
    }

    /// <summary>
    /// Given a 0-based (line, byte-in-line) position just after a token, returns the
    /// position of the start of that token; the input position if it cannot be found.
    /// </summary>
    private static (long Line, long BytePos) StartOfTokenBefore(byte[] utf8, long line, long bytePos)
    {
        long offset = OffsetOf(utf8, line, bytePos);
        if (offset < 0)
        {
            return (line, bytePos);
        }

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
            // Keep the last token start found before the error.
        }

        if (start < 0)
        {
            return (line, bytePos);
        }

        long startLine = 0;
        long lineStart = 0;
        for (int i = 0; i < start; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                startLine++;
                lineStart = i + 1;
            }
        }

        return (startLine, start - lineStart);
    }

    /// <summary>Describes the model type at a System.Text.Json path ("$.a.b[2]['c.d']"), or null if unknown.</summary>
    private static string? ExpectedAt(JsonTypeInfo root, string? jsonPath)
    {
        if (jsonPath is null || !jsonPath.StartsWith('$'))
        {
            return null;
        }

        JsonTypeInfo? info = root;
        ReadOnlySpan<char> rest = jsonPath.AsSpan(1);
        while (!rest.IsEmpty && info is not null)
        {
            if (rest.StartsWith("['"))
            {
                int end = rest.IndexOf("']");
                if (end < 0)
                {
                    return null;
                }

                info = Member(info, rest[2..end].ToString());
                rest = rest[(end + 2)..];
            }
            else if (rest[0] == '[')
            {
                int end = rest.IndexOf(']');
                if (end < 0)
                {
                    return null;
                }

                info = info.Kind == JsonTypeInfoKind.Enumerable ? Element(info) : null;
                rest = rest[(end + 1)..];
            }
            else if (rest[0] == '.')
            {
                rest = rest[1..];
                int end = rest.IndexOfAny('.', '[');
                if (end < 0)
                {
                    end = rest.Length;
                }

                info = Member(info, rest[..end].ToString());
                rest = rest[end..];
            }
            else
            {
                return null;
            }
        }

        return info is null ? null : Describe(info);
    }

    private static JsonTypeInfo? Member(JsonTypeInfo info, string name)
    {
        if (info.Kind == JsonTypeInfoKind.Dictionary)
        {
            return Element(info);
        }

        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        foreach (JsonPropertyInfo p in info.Properties)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return info.Options.TypeInfoResolver?.GetTypeInfo(p.PropertyType, info.Options);
            }
        }

        return null;
    }

    private static JsonTypeInfo? Element(JsonTypeInfo info) =>
        info.ElementType is { } t ? info.Options.TypeInfoResolver?.GetTypeInfo(t, info.Options) : null;

    private static string Describe(JsonTypeInfo info)
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                return "an array";
            case JsonTypeInfoKind.Object:
            case JsonTypeInfoKind.Dictionary:
                return "an object";
        }

        Type t = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return t == typeof(string) ? "a string"
            : t == typeof(bool) ? "a boolean"
            : t == typeof(int) ? "an int32 number"
            : t == typeof(uint) ? "a uint32 number"
            : t == typeof(long) ? "an int64 number"
            : t == typeof(ulong) ? "a uint64 number"
            : t == typeof(ushort) ? "a uint16 number"
            : t == typeof(JsonElement) ? "a JSON value"
            : "a value of type " + t.Name;
    }
}
