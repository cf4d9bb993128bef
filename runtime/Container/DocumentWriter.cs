using System.Text;
using System.Text.Json;

namespace Runcs.Container;

/// <summary>
/// runcs's own documents written straight to a <see cref="Utf8JsonWriter"/>: state.json, the
/// `state` / `list --format json` output, and init's configuration. Why: even
/// serialization-only source generation builds a JsonTypeInfo and its options on first use
/// (with a reflection probe for polymorphism attributes), ~0.5 ms in a fresh process, and
/// `create` writes state.json on the way to "ready" while engines call `state` over and over.
/// The output is the source-generated one byte for byte (same member order, nulls left out,
/// same escaping); unit-tested against it.
/// </summary>
public static class DocumentWriter
{
    /// <summary>
    /// Init's configuration, or null when it carries a process or a seccomp object (exec):
    /// those are written by the source-generated writer (Runcs.RuntimeJsonWriter).
    /// </summary>
    public static string? InitConfig(Bootstrap.InitConfig c)
    {
        if (c.Process != null || c.Seccomp != null) return null;
        return Write(false, w =>
        {
            w.WriteStartObject();
            Str(w, "mode", c.Mode);
            Str(w, "id", c.ContainerId);
            Str(w, "specText", c.SpecText);
            Str(w, "bundle", c.Bundle);
            w.WriteBoolean("noPivot", c.NoPivot);
            w.WriteBoolean("noNewKeyring", c.NoNewKeyring);
            w.WriteNumber("preserveFds", c.PreserveFds);
            w.WriteNumber("consoleSocketFd", c.ConsoleSocketFd);
            w.WriteNumber("fifoFd", c.FifoFd);
            if (c.CgroupTasksFds != null)
            {
                w.WriteStartArray("cgroupTasksFds");
                foreach (var fd in c.CgroupTasksFds) w.WriteNumberValue(fd);
                w.WriteEndArray();
            }
            w.WriteNumber("memoryTasksFd", c.MemoryTasksFd);
            StringMap(w, "cgroupPaths", c.CgroupPaths);
            if (c.EnterNamespaces != null)
            {
                w.WriteStartObject("enterNamespaces");
                foreach (var (k, v) in c.EnterNamespaces) w.WriteNumber(k, v);
                w.WriteEndObject();
            }
            if (c.MountFds != null)
            {
                w.WriteStartArray("mountFds");
                foreach (var fd in c.MountFds) w.WriteNumberValue(fd);
                w.WriteEndArray();
            }
            Records(w, "expect", c.Expect);
            w.WriteEndObject();
        });
    }

    public static string ContainerState(ContainerState s) => Write(false, w => WriteState(w, s));

    public static string StateOutput(StateOutput s, bool indented) => Write(indented, w => WriteOutput(w, s));

    public static string StateOutputs(List<StateOutput> list, bool indented) => Write(indented, w =>
    {
        w.WriteStartArray();
        foreach (var s in list) WriteOutput(w, s);
        w.WriteEndArray();
    });

    private static string Write(bool indented, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            body(w);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteState(Utf8JsonWriter w, ContainerState s)
    {
        w.WriteStartObject();
        Str(w, "id", s.Id);
        w.WriteNumber("initPid", s.InitPid);
        w.WriteNumber("initStartTime", s.InitStartTime);
        Str(w, "bundle", s.Bundle);
        Str(w, "rootfs", s.Rootfs);
        w.WriteString("created", s.Created);
        Str(w, "owner", s.Owner);
        StringMap(w, "annotations", s.Annotations);
        Records(w, "namespaces", s.Namespaces);
        StringMap(w, "cgroupPaths", s.CgroupPaths);
        w.WriteBoolean("systemdCgroup", s.SystemdCgroup);
        w.WriteBoolean("startHooks", s.StartHooks);
        w.WriteBoolean("poststopHooks", s.PoststopHooks);
        w.WriteBoolean("rootless", s.Rootless);
        w.WriteEndObject();
    }

    private static void WriteOutput(Utf8JsonWriter w, StateOutput s)
    {
        w.WriteStartObject();
        Str(w, "ociVersion", s.OciVersion);
        Str(w, "id", s.Id);
        w.WriteNumber("pid", s.Pid);
        Str(w, "status", s.Status);
        Str(w, "bundle", s.Bundle);
        Str(w, "rootfs", s.Rootfs);
        Str(w, "created", s.Created);
        Str(w, "owner", s.Owner);
        StringMap(w, "annotations", s.Annotations);
        Records(w, "namespaces", s.Namespaces);
        w.WriteEndObject();
    }

    /// <summary>A string member that is null is left out, as the generated writer does (WhenWritingNull).</summary>
    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value != null) w.WriteString(name, value);
    }

    private static void StringMap(Utf8JsonWriter w, string name, Dictionary<string, string>? map)
    {
        if (map == null) return;
        w.WriteStartObject(name);
        foreach (var (k, v) in map)
        {
            if (v == null) w.WriteNull(k);
            else w.WriteString(k, v);
        }
        w.WriteEndObject();
    }

    private static void Records(Utf8JsonWriter w, string name, Dictionary<string, NamespaceRecord>? map)
    {
        if (map == null) return;
        w.WriteStartObject(name);
        foreach (var (k, r) in map)
        {
            if (r == null) { w.WriteNull(k); continue; }
            w.WriteStartObject(k);
            w.WriteNumber("inode", r.Inode);
            w.WriteNumber("device", r.Device);
            Str(w, "origin", r.Origin);
            Str(w, "path", r.Path);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
