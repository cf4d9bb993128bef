namespace Runcs.Namespaces;

/// <summary>The eight namespace types: OCI name, /proc/PID/ns name, clone flag.</summary>
public static class NamespaceKinds
{
    public sealed record Kind(string OciName, string ProcName, int CloneFlag);

    public const int CLONE_NEWTIME = 0x00000080, CLONE_NEWNS = 0x00020000, CLONE_NEWCGROUP = 0x02000000,
        CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
        CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    /// <summary>In join order: user first (it grants the rights the others need), mount last.</summary>
    public static readonly IReadOnlyList<Kind> All = new[]
    {
        new Kind("user", "user", CLONE_NEWUSER),
        new Kind("ipc", "ipc", CLONE_NEWIPC),
        new Kind("uts", "uts", CLONE_NEWUTS),
        new Kind("network", "net", CLONE_NEWNET),
        new Kind("pid", "pid", CLONE_NEWPID),
        new Kind("cgroup", "cgroup", CLONE_NEWCGROUP),
        new Kind("time", "time", CLONE_NEWTIME),
        new Kind("mount", "mnt", CLONE_NEWNS),
    };

    public static Kind? ByOciName(string name) => All.FirstOrDefault(k => k.OciName == name);
    public static Kind? ByProcName(string name) => All.FirstOrDefault(k => k.ProcName == name);
}

/// <summary>Where a namespace of init came from.</summary>
public static class NamespaceOrigin
{
    public const string Created = "created", Joined = "joined", Inherited = "inherited";
}
