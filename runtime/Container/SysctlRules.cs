using OciRuntime.Spec;

namespace Runcs.Container;

/// <summary>
/// Which linux.sysctl keys a container may set: only those of a kernel namespace
/// the container has its own of (runc's rules). Setting anything else would
/// change the host. Pure.
/// </summary>
public static class SysctlRules
{
    private static readonly HashSet<string> IpcKeys = new()
    {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    };

    /// <summary>Null when every key is allowed, else the one-line reason for the first that is not.</summary>
    public static string? Problem(Spec spec)
    {
        var sysctl = spec.Linux?.Sysctl;
        if (sysctl == null) return null;
        var ns = (spec.Linux?.Namespaces ?? new()).Select(n => n.Type).ToHashSet();
        foreach (var key in sysctl.Keys.Order(StringComparer.Ordinal))
        {
            string field = $"linux.sysctl[\"{key}\"]";
            if (IpcKeys.Contains(key) || key.StartsWith("fs.mqueue."))
            {
                if (ns.Contains("ipc")) continue;
                return $"{field}: sysctl \"{key}\" is not allowed in the host's ipc namespace";
            }
            if (key.StartsWith("net."))
            {
                if (ns.Contains("network")) continue;
                return $"{field}: sysctl \"{key}\" is not allowed in the host's network namespace";
            }
            if (ns.Contains("uts"))
            {
                if (key == "kernel.domainname") continue;
                if (key == "kernel.hostname") return $"{field}: sysctl \"{key}\" is not allowed as it conflicts with the OCI \"hostname\" field";
            }
            return $"{field}: sysctl \"{key}\" is not in a separate kernel namespace";
        }
        return null;
    }
}
