using System.Text;
using System.Text.Json;

namespace OciRuntime.Spec;

/// <summary>
/// A reader of config.json (and of exec's process.json, update's resources, a seccomp object)
/// straight on <see cref="Utf8JsonReader"/>. Why: the source-generated System.Text.Json path
/// builds its metadata for the whole model on first use — type and property infos, converters,
/// a reflection probe per type for polymorphism attributes — about 4 ms of CPU in a fresh
/// process, and both runcs processes of every container start parse config.json once.
///
/// The contract: it reads only what it is sure to read exactly as the generated path does,
/// and gives up on anything else (returns null): a member twice, a null where the model has
/// a plain number or bool, a null list element or map value, a number that does not fit, a
/// non-ASCII member name (case-insensitive matching of those is the generated path's), the
/// platform sections (solaris, windows, vm, zos, freebsd), and any syntax error. Then
/// <see cref="SpecJson"/> parses with the generated path, whose result or error message stands,
/// so errors are unchanged by construction. Member names match ASCII-case-insensitively and
/// unknown members are skipped, as the generated path does (PropertyNameCaseInsensitive).
/// The per-class readers are generated from the model (spec/gen-spec-reader.py).
/// </summary>
internal static partial class SpecReader
{
    internal delegate T ReadOne<out T>(ref Utf8JsonReader r);

    /// <summary>Longer member names than this match no model member.</summary>
    private const int MaxName = 48;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private sealed class NotSureException : Exception
    {
    }

    private static NotSureException NotSure() => new();

    /// <summary>The document read by <paramref name="read"/>, or null when the reader is not sure of it.</summary>
    internal static T? TryRead<T>(string json, ReadOne<T> read)
        where T : class
    {
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (ArgumentException)
        {
            return null; // lone surrogates: the generated path decides
        }

        var r = new Utf8JsonReader(utf8);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var value = read(ref r);
            return r.Read() ? null : value;
        }
        catch (Exception e) when (e is NotSureException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Moves past the next member name to its value and writes the name lower-cased (ASCII) to
    /// <paramref name="buffer"/>; returns its length, 0 at the end of the object. A name that
    /// matches no member (too long, empty) comes back as "\u0001".
    /// </summary>
    private static int NextMember(ref Utf8JsonReader r, scoped Span<char> buffer)
    {
        if (!r.Read())
        {
            throw NotSure();
        }

        if (r.TokenType == JsonTokenType.EndObject)
        {
            return 0;
        }

        if (r.TokenType != JsonTokenType.PropertyName)
        {
            throw NotSure();
        }

        int length;
        if (r.ValueIsEscaped || r.HasValueSequence)
        {
            length = Lower(r.GetString().AsSpan(), buffer);
        }
        else
        {
            var bytes = r.ValueSpan;
            length = bytes.Length > buffer.Length ? -1 : bytes.Length;
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                if (b >= 0x80)
                {
                    throw NotSure();
                }

                if (length > 0)
                {
                    buffer[i] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b);
                }
            }
        }

        if (!r.Read())
        {
            throw NotSure();
        }

        if (length <= 0)
        {
            buffer[0] = '\u0001';
            return 1;
        }

        return length;
    }

    private static int Lower(ReadOnlySpan<char> name, scoped Span<char> buffer)
    {
        foreach (char c in name)
        {
            if (c >= 0x80)
            {
                throw NotSure();
            }
        }

        if (name.Length > buffer.Length)
        {
            return -1;
        }

        for (int i = 0; i < name.Length; i++)
        {
            buffer[i] = char.ToLowerInvariant(name[i]);
        }

        return name.Length;
    }

    /// <summary>A member seen twice: the generated path's rule for that is not repeated here.</summary>
    private static void Once(ref ulong seen, int member)
    {
        ulong bit = 1UL << member;
        if ((seen & bit) != 0)
        {
            throw NotSure();
        }

        seen |= bit;
    }

    private static string? Str(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => r.GetString(),
        _ => throw NotSure(),
    };

    /// <summary>A list element or map value: null ones are the generated path's.</summary>
    private static string StrElement(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.String ? r.GetString()! : throw NotSure();

    private static bool Bool(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw NotSure(),
    };

    private static bool? NBool(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : Bool(ref r);

    private static int Int(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int v) ? v : throw NotSure();

    private static int? NInt(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : Int(ref r);

    private static uint UInt(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt32(out uint v) ? v : throw NotSure();

    private static uint? NUInt(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : UInt(ref r);

    private static long Long(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt64(out long v) ? v : throw NotSure();

    private static long? NLong(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : Long(ref r);

    private static ulong ULong(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out ulong v) ? v : throw NotSure();

    private static ulong? NULong(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : ULong(ref r);

    private static ushort UShort(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt16(out ushort v) ? v : throw NotSure();

    private static ushort? NUShort(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : UShort(ref r);

    private static T? Obj<T>(ref Utf8JsonReader r, ReadOne<T> read)
        where T : class =>
        r.TokenType == JsonTokenType.Null ? null : read(ref r);

    private static List<T>? ListOf<T>(ref Utf8JsonReader r, ReadOne<T> read)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw NotSure();
        }

        var list = new List<T>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType == JsonTokenType.Null)
            {
                throw NotSure();
            }

            list.Add(read(ref r));
        }

        return r.TokenType == JsonTokenType.EndArray ? list : throw NotSure();
    }

    private static Dictionary<string, T>? MapOf<T>(ref Utf8JsonReader r, ReadOne<T> read)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            throw NotSure();
        }

        var map = new Dictionary<string, T>();
        while (r.Read() && r.TokenType != JsonTokenType.EndObject)
        {
            string key = r.GetString()!;
            if (!r.Read() || r.TokenType == JsonTokenType.Null)
            {
                throw NotSure();
            }

            if (!map.TryAdd(key, read(ref r)))
            {
                throw NotSure();
            }
        }

        return r.TokenType == JsonTokenType.EndObject ? map : throw NotSure();
    }
}
