using System.Globalization;

namespace OciRuntime.Spec;

/// <summary>
/// Semantic validation of a parsed config. Pure: no file-system access (namespace
/// path existence is checked through an injected function). The first error found
/// is thrown as a <see cref="SpecException"/> with message
/// <c>&lt;json path&gt;: &lt;what is wrong&gt; '&lt;bad value&gt;'</c> and <see cref="SpecException.Path"/> set.
/// Checks run in a fixed order: ociVersion, root, process, mounts, linux
/// (namespaces, user-namespace mappings, timeOffsets, sysctl, devices).
/// </summary>
public static class SpecValidator
{
    /// <summary>Device node types allowed in linux.devices[].type.</summary>
    public static IReadOnlyList<string> DeviceTypes { get; } = ["c", "b", "u", "p"];

    /// <summary>Clock names allowed as linux.timeOffsets keys.</summary>
    public static IReadOnlyList<string> TimeOffsetClocks { get; } = ["monotonic", "boottime"];

    /// <summary>Validates <paramref name="spec"/>; <paramref name="requireProcess"/> is true for create/run.</summary>
    public static void Validate(Spec spec, bool requireProcess = true)
    {
        ArgumentNullException.ThrowIfNull(spec);

        if (string.IsNullOrEmpty(spec.OciVersion))
        {
            throw Missing("ociVersion");
        }

        if (spec.Root is null)
        {
            throw Missing("root");
        }

        if (string.IsNullOrEmpty(spec.Root.Path))
        {
            throw Missing("root.path");
        }

        if (spec.Process is null)
        {
            if (requireProcess)
            {
                throw Missing("process");
            }
        }
        else
        {
            ValidateProcess(spec.Process, "process");
        }

        if (spec.Mounts is { } mounts)
        {
            for (int i = 0; i < mounts.Count; i++)
            {
                string p = $"mounts[{I(i)}]";
                if (mounts[i] is null)
                {
                    throw Error(p, "must not be null");
                }

                string? dest = mounts[i].Destination;
                if (!IsAbsolute(dest))
                {
                    throw Error(p + ".destination", "must be an absolute path", dest ?? string.Empty);
                }
            }
        }

        if (spec.Linux is { } linux)
        {
            ValidateLinux(linux);
        }
    }

    /// <summary>
    /// Validates a process (config.json's "process", or exec's process.json with
    /// <paramref name="path"/> = "" so that error paths are relative to the document).
    /// </summary>
    public static void ValidateProcess(Process process, string path = "process")
    {
        ArgumentNullException.ThrowIfNull(process);
        string prefix = path.Length == 0 ? string.Empty : path + ".";

        if (process.Args is null || process.Args.Count == 0)
        {
            throw Error(prefix + "args", "must not be empty");
        }

        if (string.IsNullOrEmpty(process.Cwd))
        {
            throw Missing(prefix + "cwd");
        }

        if (!IsAbsolute(process.Cwd))
        {
            throw Error(prefix + "cwd", "must be an absolute path", process.Cwd);
        }

        if (process.Capabilities is { } caps)
        {
            CheckCaps(caps.Bounding, prefix + "capabilities.bounding");
            CheckCaps(caps.Effective, prefix + "capabilities.effective");
            CheckCaps(caps.Inheritable, prefix + "capabilities.inheritable");
            CheckCaps(caps.Permitted, prefix + "capabilities.permitted");
            CheckCaps(caps.Ambient, prefix + "capabilities.ambient");
        }

        if (process.Rlimits is { } rlimits)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < rlimits.Count; i++)
            {
                string p = $"{prefix}rlimits[{I(i)}]";
                POSIXRlimit? r = rlimits[i];
                if (r is null)
                {
                    throw Error(p, "must not be null");
                }

                string type = r.Type ?? string.Empty;
                if (!Rlimits.Table.ContainsKey(type))
                {
                    throw Error(p + ".type", "unknown rlimit type", type);
                }

                if (!seen.Add(type))
                {
                    throw Error(p + ".type", "duplicate rlimit type", type);
                }

                if (r.Soft > r.Hard)
                {
                    throw Error(p + ".soft", $"soft limit is greater than hard limit {r.Hard.ToString(CultureInfo.InvariantCulture)}", r.Soft.ToString(CultureInfo.InvariantCulture));
                }
            }
        }
    }

    /// <summary>
    /// Reports <c>linux.namespaces[i].path: namespace path does not exist '&lt;path&gt;'</c> for the first
    /// namespace whose non-empty path fails <paramref name="exists"/>.
    /// </summary>
    public static void ValidateNamespacePaths(Spec spec, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(exists);
        if (spec.Linux?.Namespaces is not { } namespaces)
        {
            return;
        }

        for (int i = 0; i < namespaces.Count; i++)
        {
            string? path = namespaces[i]?.Path;
            if (!string.IsNullOrEmpty(path) && !exists(path))
            {
                throw Error($"linux.namespaces[{I(i)}].path", "namespace path does not exist", path);
            }
        }
    }

    private static void ValidateLinux(Linux linux)
    {
        // Namespaces: known types, no duplicates.
        var types = new HashSet<string>(StringComparer.Ordinal);
        LinuxNamespace? userNs = null;
        if (linux.Namespaces is { } namespaces)
        {
            for (int i = 0; i < namespaces.Count; i++)
            {
                string p = $"linux.namespaces[{I(i)}]";
                LinuxNamespace? ns = namespaces[i];
                if (ns is null)
                {
                    throw Error(p, "must not be null");
                }

                string type = ns.Type ?? string.Empty;
                if (!NamespaceTypes.IsValid(type))
                {
                    throw Error(p + ".type", "unknown namespace type", type);
                }

                if (!types.Add(type))
                {
                    throw Error(p + ".type", "duplicate namespace type", type);
                }

                if (type == NamespaceTypes.User)
                {
                    userNs = ns;
                }
            }
        }

        // User namespace and ID mappings.
        bool hasUidMappings = linux.UidMappings is { Count: > 0 };
        bool hasGidMappings = linux.GidMappings is { Count: > 0 };
        if (userNs is null)
        {
            if (hasUidMappings)
            {
                throw Error("linux.uidMappings", "uid mappings specified, but no user namespace configured");
            }

            if (hasGidMappings)
            {
                throw Error("linux.gidMappings", "gid mappings specified, but no user namespace configured");
            }
        }
        else if (string.IsNullOrEmpty(userNs.Path))
        {
            if (!hasUidMappings)
            {
                throw Error("linux.uidMappings", "user namespace enabled, but no uid mappings found");
            }

            if (!hasGidMappings)
            {
                throw Error("linux.gidMappings", "user namespace enabled, but no gid mappings found");
            }
        }

        // Time namespace offsets.
        if (linux.TimeOffsets is { Count: > 0 } offsets)
        {
            foreach (string clock in offsets.Keys)
            {
                if (!TimeOffsetClocks.Contains(clock, StringComparer.Ordinal))
                {
                    throw Error($"linux.timeOffsets.{clock}", "unknown clock (want monotonic or boottime)", clock);
                }
            }

            if (!types.Contains(NamespaceTypes.Time))
            {
                throw Error("linux.timeOffsets", "time offsets specified, but no time namespace configured");
            }
        }

        // Sysctl keys.
        if (linux.Sysctl is { } sysctl)
        {
            foreach (string key in sysctl.Keys)
            {
                if (string.IsNullOrWhiteSpace(key))
                {
                    throw Error("linux.sysctl", "sysctl key must not be empty", key);
                }
            }
        }

        // Device nodes.
        if (linux.Devices is { } devices)
        {
            for (int i = 0; i < devices.Count; i++)
            {
                string p = $"linux.devices[{I(i)}]";
                LinuxDevice? d = devices[i];
                if (d is null)
                {
                    throw Error(p, "must not be null");
                }

                if (!IsAbsolute(d.Path))
                {
                    throw Error(p + ".path", "must be an absolute path", d.Path ?? string.Empty);
                }

                string type = d.Type ?? string.Empty;
                if (!DeviceTypes.Contains(type, StringComparer.Ordinal))
                {
                    throw Error(p + ".type", "unknown device type (want c, b, u or p)", type);
                }
            }
        }
    }

    private static void CheckCaps(List<string>? caps, string path)
    {
        if (caps is null)
        {
            return;
        }

        for (int i = 0; i < caps.Count; i++)
        {
            string name = caps[i] ?? string.Empty;
            if (!Capabilities.All.ContainsKey(name))
            {
                throw Error($"{path}[{I(i)}]", "unknown capability", name);
            }
        }
    }

    private static bool IsAbsolute(string? path) => !string.IsNullOrEmpty(path) && path[0] == '/';

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static SpecException Missing(string path) => new($"{path}: required field is missing", path);

    private static SpecException Error(string path, string what) => new($"{path}: {what}", path);

    private static SpecException Error(string path, string what, string value) => new($"{path}: {what} '{value}'", path);
}
