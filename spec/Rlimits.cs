using System.Collections.Frozen;

namespace OciRuntime.Spec;

/// <summary>POSIX rlimit type names (RLIMIT_*) and Linux resource numbers.</summary>
public static class Rlimits
{
    /// <summary>Name → resource number for setrlimit/prlimit.</summary>
    public static IReadOnlyDictionary<string, int> Table { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["RLIMIT_CPU"] = 0,
        ["RLIMIT_FSIZE"] = 1,
        ["RLIMIT_DATA"] = 2,
        ["RLIMIT_STACK"] = 3,
        ["RLIMIT_CORE"] = 4,
        ["RLIMIT_RSS"] = 5,
        ["RLIMIT_NPROC"] = 6,
        ["RLIMIT_NOFILE"] = 7,
        ["RLIMIT_MEMLOCK"] = 8,
        ["RLIMIT_AS"] = 9,
        ["RLIMIT_LOCKS"] = 10,
        ["RLIMIT_SIGPENDING"] = 11,
        ["RLIMIT_MSGQUEUE"] = 12,
        ["RLIMIT_NICE"] = 13,
        ["RLIMIT_RTPRIO"] = 14,
        ["RLIMIT_RTTIME"] = 15,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>RLIM_INFINITY.</summary>
    public const ulong Infinity = ulong.MaxValue;

    public static bool TryGetResource(string name, out int resource) => Table.TryGetValue(name, out resource);

    /// <summary>Returns the resource number or throws <see cref="SpecException"/> "unknown rlimit type \"X\"".</summary>
    public static int Resource(string name) =>
        Table.TryGetValue(name, out int r) ? r : throw new SpecException($"unknown rlimit type \"{name}\"");
}
