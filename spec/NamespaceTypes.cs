using System.Collections.Frozen;

namespace OciRuntime.Spec;

/// <summary>The OCI namespace type names, their /proc/[pid]/ns names and CLONE_NEW* flags.</summary>
public static class NamespaceTypes
{
    public const string Pid = "pid";
    public const string Network = "network";
    public const string Mount = "mount";
    public const string Ipc = "ipc";
    public const string Uts = "uts";
    public const string User = "user";
    public const string Cgroup = "cgroup";
    public const string Time = "time";

    public const int CloneNewNs = 0x00020000;
    public const int CloneNewCgroup = 0x02000000;
    public const int CloneNewUts = 0x04000000;
    public const int CloneNewIpc = 0x08000000;
    public const int CloneNewUser = 0x10000000;
    public const int CloneNewPid = 0x20000000;
    public const int CloneNewNet = 0x40000000;
    public const int CloneNewTime = 0x00000080;

    /// <summary>The eight OCI type names in spec order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pid, Network, Mount, Ipc, Uts, User, Cgroup, Time];

    /// <summary>OCI type → name under /proc/[pid]/ns (network → net, mount → mnt).</summary>
    public static IReadOnlyDictionary<string, string> ProcNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Pid] = "pid",
        [Network] = "net",
        [Mount] = "mnt",
        [Ipc] = "ipc",
        [Uts] = "uts",
        [User] = "user",
        [Cgroup] = "cgroup",
        [Time] = "time",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>OCI type → CLONE_NEW* flag.</summary>
    public static IReadOnlyDictionary<string, int> CloneFlags { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [Pid] = CloneNewPid,
        [Network] = CloneNewNet,
        [Mount] = CloneNewNs,
        [Ipc] = CloneNewIpc,
        [Uts] = CloneNewUts,
        [User] = CloneNewUser,
        [Cgroup] = CloneNewCgroup,
        [Time] = CloneNewTime,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> FromProc =
        ProcNames.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static bool IsValid(string? type) => type is not null && ProcNames.ContainsKey(type);

    /// <summary>"network" → "net". Throws <see cref="SpecException"/> for an unknown type.</summary>
    public static string ProcName(string type) =>
        ProcNames.TryGetValue(type, out string? n) ? n : throw Unknown(type);

    /// <summary>"net" → "network". Throws <see cref="SpecException"/> for an unknown name.</summary>
    public static string FromProcName(string procName) =>
        FromProc.TryGetValue(procName, out string? t) ? t : throw new SpecException($"unknown namespace name '{procName}'");

    /// <summary>"network" → CLONE_NEWNET. Throws <see cref="SpecException"/> for an unknown type.</summary>
    public static int CloneFlag(string type) =>
        CloneFlags.TryGetValue(type, out int f) ? f : throw Unknown(type);

    /// <summary>OR of the CLONE_NEW* flags of the given types.</summary>
    public static int CloneFlagsOf(IEnumerable<string> types)
    {
        int flags = 0;
        foreach (string t in types)
        {
            flags |= CloneFlag(t);
        }

        return flags;
    }

    private static SpecException Unknown(string type) => new($"unknown namespace type '{type}'");
}
