using System.Globalization;
using OciRuntime.Spec;
using Runcs.Native;

namespace Runcs.Cgroups;

/// <summary>
/// One device cgroup rule, checked: what cgroup v1 writes to devices.allow/deny and what the
/// cgroup v2 eBPF program (<see cref="DeviceFilterProgram"/>) is built from.
/// </summary>
/// <param name="Type">'a' (every device: type, numbers and access are then ignored, as in v1), 'b' or 'c'.</param>
/// <param name="Major">-1 for any.</param>
/// <param name="Minor">-1 for any.</param>
/// <param name="Access">a non-empty subset of "rwm".</param>
public readonly record struct DeviceCgroupRule(bool Allow, char Type, long Major, long Minor, string Access)
{
    /// <summary>The line cgroup v1 takes ("c 1:3 rwm", "b 8:* m", "a *:* rwm").</summary>
    public string V1Line => Type == 'a' ? $"a *:* {Access}" : $"{Type} {Num(Major)}:{Num(Minor)} {Access}";

    private static string Num(long n) => n < 0 ? "*" : n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The devices every container may use, whatever its rules say (runc's list, host console excluded).</summary>
    public static readonly IReadOnlyList<DeviceCgroupRule> DefaultAllowed = new DeviceCgroupRule[]
    {
        new(true, 'c', -1, -1, "m"), new(true, 'b', -1, -1, "m"),
        new(true, 'c', 1, 3, "rwm"), new(true, 'c', 1, 8, "rwm"), new(true, 'c', 1, 7, "rwm"),
        new(true, 'c', 5, 0, "rwm"), new(true, 'c', 1, 5, "rwm"), new(true, 'c', 1, 9, "rwm"),
        new(true, 'c', 136, -1, "rwm"), new(true, 'c', 5, 2, "rwm"), new(true, 'c', 10, 200, "rwm"),
    };

    /// <summary>
    /// The container's effective rules, as runc builds them: linux.resources.devices in order, then
    /// the always-allowed devices, then an "rwm" allow for every linux.devices node (c, b, u; not p).
    /// Empty when there are neither rules nor devices. Bad values are errors naming the field.
    /// </summary>
    public static List<DeviceCgroupRule> Effective(IReadOnlyList<LinuxDeviceCgroup>? rules, IReadOnlyList<LinuxDevice>? devices)
    {
        var list = new List<DeviceCgroupRule>();
        if (rules == null && devices == null) return list;
        for (int i = 0; i < (rules?.Count ?? 0); i++)
        {
            var r = rules![i];
            string field = $"linux.resources.devices[{i}]";
            char type = r.Type switch
            {
                null or "" or "a" => 'a',
                "b" => 'b',
                "c" => 'c',
                _ => throw new RuncsException($"{field}.type: '{r.Type}' is not a, b or c"),
            };
            list.Add(new(r.Allow, type, Number(r.Major, $"{field}.major"), Number(r.Minor, $"{field}.minor"), AccessOf(r.Access, $"{field}.access")));
        }
        list.AddRange(DefaultAllowed);
        for (int i = 0; i < (devices?.Count ?? 0); i++)
        {
            var d = devices![i];
            if (d.Type is "c" or "b" or "u")
                list.Add(new(true, d.Type == "b" ? 'b' : 'c', Number(d.Major, $"linux.devices[{i}].major"), Number(d.Minor, $"linux.devices[{i}].minor"), "rwm"));
        }
        return list;
    }

    /// <summary>A major or minor: absent or negative is any (-1); a device number is 32 bits.</summary>
    private static long Number(long? n, string field) => n switch
    {
        null or < 0 => -1,
        > uint.MaxValue => throw new RuncsException($"{field}: {n} is out of range (0..{uint.MaxValue})"),
        _ => n.Value,
    };

    /// <summary>Access letters in r, w, m order without repeats; absent or empty is "rwm" (as cgroup v1 reads it).</summary>
    private static string AccessOf(string? access, string field)
    {
        if (string.IsNullOrEmpty(access)) return "rwm";
        foreach (var ch in access)
            if (ch is not ('r' or 'w' or 'm')) throw new RuncsException($"{field}: '{access}' is not made of r, w and m");
        return (access.Contains('r') ? "r" : "") + (access.Contains('w') ? "w" : "") + (access.Contains('m') ? "m" : "");
    }
}
