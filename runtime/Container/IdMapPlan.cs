using OciRuntime.Spec;
using Runcs.Init;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// Which mounts are id-mapped (MOUNT_ATTR_IDMAP) and through which user namespace,
/// decided from config.json alone (pure; unit-tested without root). The rules are runc's:
/// a mount is id-mapped when its options hold "idmap" or "ridmap" or when it has its own
/// uidMappings/gidMappings; only bind mounts can be; a mount without its own mappings uses
/// the container's user namespace (the one it joins by path, or mappings equal to the ones
/// the container's new user namespace gets).
/// </summary>
public static class IdMapPlan
{
    public sealed class Entry
    {
        /// <summary>Index in config.json's mounts.</summary>
        public int Index { get; init; }
        public string Source { get; init; } = "";
        /// <summary>rbind: the detached copy holds the whole tree below the source.</summary>
        public bool CloneRecursive { get; init; }
        /// <summary>ridmap: every mount of the copied tree is id-mapped, not only its top.</summary>
        public bool MapRecursive { get; init; }
        /// <summary>Mappings for a user namespace made for this mount; null when <see cref="UsernsPath"/> is used.</summary>
        public List<LinuxIDMapping>? UidMappings { get; init; }
        public List<LinuxIDMapping>? GidMappings { get; init; }
        /// <summary>The user namespace the container joins (linux.namespaces[user].path).</summary>
        public string? UsernsPath { get; init; }

        /// <summary>Identifies equal mappings, so one user namespace serves every mount that uses them.</summary>
        public string MappingKey => UsernsPath ?? $"{Lines(UidMappings)}|{Lines(GidMappings)}";
    }

    public static string Lines(List<LinuxIDMapping>? maps) =>
        string.Concat((maps ?? new()).Select(m => $"{m.ContainerId} {m.HostId} {m.Size}\n"));

    public static bool IsIdMapped(Mount m, MountOptions opts) =>
        opts.Extensions.Contains("idmap") || opts.Extensions.Contains("ridmap") ||
        m.UidMappings != null || m.GidMappings != null;

    /// <summary>The id-mapped mounts in config order; a one-line error naming the mount for a bad one.</summary>
    public static List<Entry> Build(Spec spec)
    {
        var result = new List<Entry>();
        var mounts = spec.Mounts ?? new List<Mount>();
        var userns = spec.Linux?.Namespaces?.FirstOrDefault(n => n.Type == "user");
        for (int i = 0; i < mounts.Count; i++)
        {
            var m = mounts[i];
            var opts = MountOptions.Parse(m.Options);
            if (!IsIdMapped(m, opts)) continue;
            var name = $"mounts[{i}] ({m.Destination})";
            if (!(opts.IsBind || m.Type == "bind"))
                throw new RuncsException($"{name}: id-mapped mounts are only supported for bind mounts");
            bool own = m.UidMappings != null || m.GidMappings != null;
            if (own && (m.UidMappings is not { Count: > 0 } || m.GidMappings is not { Count: > 0 }))
                throw new RuncsException($"{name}: id-mapped mounts must have both uid and gid mappings specified");
            if (!own && userns == null)
                throw new RuncsException($"{name}: id-mapped mounts must have both uid and gid mappings specified (the container has no user namespace to take them from)");
            bool joinsUserns = !own && !string.IsNullOrEmpty(userns!.Path);
            result.Add(new Entry
            {
                Index = i,
                Source = m.Source ?? "",
                CloneRecursive = opts.IsRecursive,
                MapRecursive = opts.Extensions.Contains("ridmap"),
                UidMappings = own ? m.UidMappings : joinsUserns ? null : spec.Linux!.UidMappings,
                GidMappings = own ? m.GidMappings : joinsUserns ? null : spec.Linux!.GidMappings,
                UsernsPath = joinsUserns ? userns!.Path : null,
            });
        }
        return result;
    }
}
