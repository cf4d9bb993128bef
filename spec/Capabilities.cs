using System.Collections.Frozen;

namespace OciRuntime.Spec;

/// <summary>Linux capability names (with the CAP_ prefix, as in config.json) and numbers.</summary>
public static class Capabilities
{
    /// <summary>Names in capability-number order: <c>Names[n]</c> is capability n.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "CAP_CHOWN",              // 0
        "CAP_DAC_OVERRIDE",       // 1
        "CAP_DAC_READ_SEARCH",    // 2
        "CAP_FOWNER",             // 3
        "CAP_FSETID",             // 4
        "CAP_KILL",               // 5
        "CAP_SETGID",             // 6
        "CAP_SETUID",             // 7
        "CAP_SETPCAP",            // 8
        "CAP_LINUX_IMMUTABLE",    // 9
        "CAP_NET_BIND_SERVICE",   // 10
        "CAP_NET_BROADCAST",      // 11
        "CAP_NET_ADMIN",          // 12
        "CAP_NET_RAW",            // 13
        "CAP_IPC_LOCK",           // 14
        "CAP_IPC_OWNER",          // 15
        "CAP_SYS_MODULE",         // 16
        "CAP_SYS_RAWIO",          // 17
        "CAP_SYS_CHROOT",         // 18
        "CAP_SYS_PTRACE",         // 19
        "CAP_SYS_PACCT",          // 20
        "CAP_SYS_ADMIN",          // 21
        "CAP_SYS_BOOT",           // 22
        "CAP_SYS_NICE",           // 23
        "CAP_SYS_RESOURCE",       // 24
        "CAP_SYS_TIME",           // 25
        "CAP_SYS_TTY_CONFIG",     // 26
        "CAP_MKNOD",              // 27
        "CAP_LEASE",              // 28
        "CAP_AUDIT_WRITE",        // 29
        "CAP_AUDIT_CONTROL",      // 30
        "CAP_SETFCAP",            // 31
        "CAP_MAC_OVERRIDE",       // 32
        "CAP_MAC_ADMIN",          // 33
        "CAP_SYSLOG",             // 34
        "CAP_WAKE_ALARM",         // 35
        "CAP_BLOCK_SUSPEND",      // 36
        "CAP_AUDIT_READ",         // 37
        "CAP_PERFMON",            // 38
        "CAP_BPF",                // 39
        "CAP_CHECKPOINT_RESTORE", // 40
    ];

    /// <summary>Highest capability number known (CAP_LAST_CAP of Linux 5.9+).</summary>
    public const int Last = 40;

    /// <summary>Name → capability number. Lookup is exact (upper case, CAP_ prefix), as in runc.</summary>
    public static IReadOnlyDictionary<string, int> All { get; } =
        Names.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryGetNumber(string name, out int number) => All.TryGetValue(name, out number);

    /// <summary>Returns the capability number or throws <see cref="SpecException"/> "unknown capability \"X\"".</summary>
    public static int Number(string name) =>
        All.TryGetValue(name, out int n) ? n : throw new SpecException($"unknown capability \"{name}\"");

    /// <summary>Name of capability <paramref name="number"/>, or null when unknown.</summary>
    public static string? Name(int number) => number >= 0 && number < Names.Count ? Names[number] : null;
}
