using System.Text;
using System.Text.Json;
using Runcs.Bootstrap;
using Runcs.Container;

namespace Runcs;

/// <summary>
/// Hand-written readers of runcs's own documents (state.json and init's configuration)
/// on <see cref="Utf8JsonReader"/>. Why: System.Text.Json's source-generated metadata is
/// built on first use for the whole type graph (type and property infos, converters, a
/// reflection probe for polymorphism attributes), a few milliseconds in every fresh
/// process, and every verb is a fresh process. These readers accept only what they are
/// sure of — the members below with their exact names and JSON types, each member once,
/// no comments — and return null for anything else; the caller then uses the
/// source-generated path (<see cref="RuntimeJson"/>), whose result or error stands.
/// Equivalence with that path is unit-tested.
/// </summary>
internal static class RuntimeJsonReader
{
    public static ContainerState? TryContainerState(string json)
    {
        var r = NewReader(json, out _);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
            var s = new ContainerState();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (NextMember(ref r, seen, out var name))
            {
                bool ok = name switch
                {
                    "id" => Str(ref r, out var v) && Set(() => s.Id = v!, v != null),
                    "initPid" => Int(ref r, out var v) && Set(() => s.InitPid = v),
                    "initStartTime" => ULong(ref r, out var v) && Set(() => s.InitStartTime = v),
                    "bundle" => Str(ref r, out var v) && Set(() => s.Bundle = v!, v != null),
                    "rootfs" => Str(ref r, out var v) && Set(() => s.Rootfs = v!, v != null),
                    "created" => r.TokenType == JsonTokenType.String && r.TryGetDateTime(out var v) && Set(() => s.Created = v),
                    "owner" => Str(ref r, out var v) && Set(() => s.Owner = v!, v != null),
                    "annotations" => StringMap(ref r, out var v, allowNull: true) && Set(() => s.Annotations = v),
                    "namespaces" => RecordMap(ref r, out var v) && Set(() => s.Namespaces = v!, v != null),
                    "cgroupPaths" => StringMap(ref r, out var v, allowNull: false) && Set(() => s.CgroupPaths = v!, v != null),
                    "systemdCgroup" => Bool(ref r, out var v) && Set(() => s.SystemdCgroup = v),
                    "startHooks" => Bool(ref r, out var v) && Set(() => s.StartHooks = v),
                    "poststopHooks" => Bool(ref r, out var v) && Set(() => s.PoststopHooks = v),
                    "rootless" => Bool(ref r, out var v) && Set(() => s.Rootless = v),
                    _ => Skip(ref r),
                };
                if (!ok) return null;
            }
            return End(ref r) ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static InitConfig? TryInitConfig(string json)
    {
        var r = NewReader(json, out var utf8);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
            var c = new InitConfig();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (NextMember(ref r, seen, out var name))
            {
                bool ok = name switch
                {
                    "mode" => Str(ref r, out var v) && Set(() => c.Mode = v!, v != null),
                    "id" => Str(ref r, out var v) && Set(() => c.ContainerId = v!, v != null),
                    "specText" => Str(ref r, out var v) && Set(() => c.SpecText = v),
                    "process" => Raw(ref r, utf8, out var v) && Set(() => c.Process = v == null ? null : OciRuntime.Spec.SpecJson.ParseProcess(v)),
                    "bundle" => Str(ref r, out var v) && Set(() => c.Bundle = v),
                    "seccomp" => Raw(ref r, utf8, out var v) && Set(() => c.Seccomp = v == null ? null : OciRuntime.Spec.SpecJson.ParseSeccomp(v)),
                    "noPivot" => Bool(ref r, out var v) && Set(() => c.NoPivot = v),
                    "noNewKeyring" => Bool(ref r, out var v) && Set(() => c.NoNewKeyring = v),
                    "preserveFds" => Int(ref r, out var v) && Set(() => c.PreserveFds = v),
                    "consoleSocketFd" => Int(ref r, out var v) && Set(() => c.ConsoleSocketFd = v),
                    "fifoFd" => Int(ref r, out var v) && Set(() => c.FifoFd = v),
                    "cgroupTasksFds" => IntList(ref r, out var v) && Set(() => c.CgroupTasksFds = v),
                    "memoryTasksFd" => Int(ref r, out var v) && Set(() => c.MemoryTasksFd = v),
                    "cgroupPaths" => StringMap(ref r, out var v, allowNull: false) && Set(() => c.CgroupPaths = v),
                    "enterNamespaces" => IntMap(ref r, out var v) && Set(() => c.EnterNamespaces = v),
                    "mountFds" => IntList(ref r, out var v) && Set(() => c.MountFds = v),
                    "expect" => RecordMap(ref r, out var v) && Set(() => c.Expect = v),
                    _ => Skip(ref r),
                };
                if (!ok) return null;
            }
            return End(ref r) ? c : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (OciRuntime.Spec.SpecException)
        {
            return null;
        }
    }

    private static Utf8JsonReader NewReader(string json, out byte[] utf8)
    {
        utf8 = Encoding.UTF8.GetBytes(json);
        return new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
    }

    private static bool Set(Action assign, bool valid = true)
    {
        if (!valid) return false;
        assign();
        return true;
    }

    /// <summary>Moves to the next member's value; false at the end of the object. A repeated member gives up.</summary>
    private static bool NextMember(ref Utf8JsonReader r, HashSet<string> seen, out string name)
    {
        if (!r.Read()) throw new JsonException();
        if (r.TokenType == JsonTokenType.EndObject) { name = ""; return false; }
        if (r.TokenType != JsonTokenType.PropertyName) throw new JsonException();
        name = r.GetString()!;
        if (!seen.Add(name)) throw new JsonException();
        if (!r.Read()) throw new JsonException();
        return true;
    }

    /// <summary>True when nothing but whitespace follows the document.</summary>
    private static bool End(ref Utf8JsonReader r) => !r.Read();

    private static bool Skip(ref Utf8JsonReader r)
    {
        r.Skip();
        return true;
    }

    private static bool Str(ref Utf8JsonReader r, out string? value)
    {
        value = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.String) return false;
        value = r.GetString();
        return true;
    }

    private static bool Bool(ref Utf8JsonReader r, out bool value)
    {
        value = r.TokenType == JsonTokenType.True;
        return r.TokenType is JsonTokenType.True or JsonTokenType.False;
    }

    private static bool Int(ref Utf8JsonReader r, out int value)
    {
        value = 0;
        return r.TokenType == JsonTokenType.Number && r.TryGetInt32(out value);
    }

    private static bool ULong(ref Utf8JsonReader r, out ulong value)
    {
        value = 0;
        return r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out value);
    }

    /// <summary>A value's exact JSON text (null for a JSON null), for the spec readers.</summary>
    private static bool Raw(ref Utf8JsonReader r, byte[] utf8, out string? text)
    {
        text = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartObject) return false;
        int start = (int)r.TokenStartIndex;
        r.Skip();
        text = Encoding.UTF8.GetString(utf8, start, (int)r.BytesConsumed - start);
        return true;
    }

    private static bool StringMap(ref Utf8JsonReader r, out Dictionary<string, string>? map, bool allowNull)
    {
        map = null;
        if (r.TokenType == JsonTokenType.Null) return allowNull;
        if (r.TokenType != JsonTokenType.StartObject) return false;
        map = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (NextMember(ref r, seen, out var key))
        {
            if (r.TokenType != JsonTokenType.String) return false;
            map[key] = r.GetString()!;
        }
        return true;
    }

    private static bool IntMap(ref Utf8JsonReader r, out Dictionary<string, int>? map)
    {
        map = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartObject) return false;
        map = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (NextMember(ref r, seen, out var key))
        {
            if (!Int(ref r, out int v)) return false;
            map[key] = v;
        }
        return true;
    }

    private static bool IntList(ref Utf8JsonReader r, out List<int>? list)
    {
        list = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartArray) return false;
        list = new List<int>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (!Int(ref r, out int v)) return false;
            list.Add(v);
        }
        return r.TokenType == JsonTokenType.EndArray;
    }

    private static bool RecordMap(ref Utf8JsonReader r, out Dictionary<string, NamespaceRecord>? map)
    {
        map = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartObject) return false;
        map = new Dictionary<string, NamespaceRecord>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (NextMember(ref r, keys, out var key))
        {
            if (r.TokenType != JsonTokenType.StartObject) return false;
            var rec = new NamespaceRecord();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (NextMember(ref r, seen, out var name))
            {
                bool ok = name switch
                {
                    "inode" => ULong(ref r, out var v) && Set(() => rec.Inode = v),
                    "device" => ULong(ref r, out var v) && Set(() => rec.Device = v),
                    "origin" => Str(ref r, out var v) && Set(() => rec.Origin = v!, v != null),
                    "path" => Str(ref r, out var v) && Set(() => rec.Path = v),
                    _ => Skip(ref r),
                };
                if (!ok) return false;
            }
            map[key] = rec;
        }
        return true;
    }
}
