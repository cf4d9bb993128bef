using System.Text.Json.Serialization;
using OciRuntime.Spec;
using Runcs.Container;
using Runcs.Native;

namespace Runcs.Bootstrap;

/// <summary>What the runtime tells its managed child once the C stage is done.</summary>
public sealed class InitConfig
{
    /// <summary>
    /// The fds the message carries, in attachment order, and the index of the one added
    /// (-1 for no fd): what the JSON's fd fields hold.
    /// </summary>
    public static int Attach(List<int> attached, int fd)
    {
        if (fd < 0) return -1;
        attached.Add(fd);
        return attached.Count - 1;
    }

    /// <summary>Replaces the attachment indexes by the fds received (InitEntry, on arrival).</summary>
    public void ResolveAttached(IReadOnlyList<int> received)
    {
        int Fd(int index, string what) => index < 0 ? -1 : index < received.Count ? received[index]
            : throw new RuncsException($"container configuration: {what} names attached file {index}, {received.Count} came");
        ConsoleSocketFd = Fd(ConsoleSocketFd, "consoleSocketFd");
        FifoFd = Fd(FifoFd, "fifoFd");
        MemoryTasksFd = Fd(MemoryTasksFd, "memoryTasksFd");
        if (CgroupTasksFds != null)
            for (int i = 0; i < CgroupTasksFds.Count; i++) CgroupTasksFds[i] = Fd(CgroupTasksFds[i], "cgroupTasksFds");
        if (MountFds != null)
            for (int i = 0; i < MountFds.Count; i++) MountFds[i] = Fd(MountFds[i], "mountFds");
        if (EnterNamespaces != null)
            foreach (var name in EnterNamespaces.Keys.ToList()) EnterNamespaces[name] = Fd(EnterNamespaces[name], $"enterNamespaces.{name}");
    }

    /// <summary>"init" (a container's first process) or "exec" (a process joining it).</summary>
    [JsonPropertyName("mode")] public string Mode { get; set; } = "init";
    [JsonPropertyName("id")] public string ContainerId { get; set; } = "";
    /// <summary>init: config.json as the runtime read it (init parses and normalizes it: <see cref="Spec"/>).</summary>
    [JsonPropertyName("specText")] public string? SpecText { get; set; }
    /// <summary>init: the spec parsed from <see cref="SpecText"/>, paths made absolute (not sent).</summary>
    [JsonIgnore] public Spec? Spec { get; set; }
    /// <summary>The process to run (init: spec.process; exec: process.json or flags).</summary>
    [JsonPropertyName("process")] public OciRuntime.Spec.Process? Process { get; set; }
    [JsonPropertyName("bundle")] public string? Bundle { get; set; }
    /// <summary>The container's seccomp section (init and exec'd processes both load it).</summary>
    [JsonPropertyName("seccomp")] public LinuxSeccomp? Seccomp { get; set; }
    [JsonPropertyName("noPivot")] public bool NoPivot { get; set; }
    [JsonPropertyName("noNewKeyring")] public bool NoNewKeyring { get; set; }
    [JsonPropertyName("preserveFds")] public int PreserveFds { get; set; }
    // The files below come attached to the message (SCM_RIGHTS): in the JSON each is the index of
    // its file among the attached ones, or -1; the receiver replaces the index by the fd it got
    // (see InitEntry). Attached, not inherited: the C stage is spawned before they exist.
    /// <summary>The console socket (process.terminal), or -1.</summary>
    [JsonPropertyName("consoleSocketFd")] public int ConsoleSocketFd { get; set; } = -1;
    /// <summary>init: the exec fifo it waits on until `start`.</summary>
    [JsonPropertyName("fifoFd")] public int FifoFd { get; set; } = -1;
    /// <summary>
    /// init: the v1 "tasks" files (memory aside) it writes "0" to first thing — this thread joins
    /// its cgroups — before it makes a cgroup namespace or runs anything of the user's; null for none.
    /// </summary>
    [JsonPropertyName("cgroupTasksFds")] public List<int>? CgroupTasksFds { get; set; }
    /// <summary>The cgroup v1 memory "tasks" file the process writes "0" to right before execve (init: at "ready"), or -1.</summary>
    [JsonPropertyName("memoryTasksFd")] public int MemoryTasksFd { get; set; } = -1;
    /// <summary>Hierarchy key → the container's cgroup directory on the host (for the cgroup mount without a cgroup namespace).</summary>
    [JsonPropertyName("cgroupPaths")] public Dictionary<string, string>? CgroupPaths { get; set; }
    /// <summary>
    /// init: namespaces (name under /proc/PID/ns → attached file) stage 1 made after the fork,
    /// for init to enter before anything else (see bootstrap.c, "late"); null for none.
    /// </summary>
    [JsonPropertyName("enterNamespaces")] public Dictionary<string, int>? EnterNamespaces { get; set; }
    /// <summary>init: per mount of spec.mounts, its id-mapped copy made by the runtime (attached), or -1.</summary>
    [JsonPropertyName("mountFds")] public List<int>? MountFds { get; set; }
    /// <summary>exec: the record to check once more right before execve.</summary>
    [JsonPropertyName("expect")] public Dictionary<string, NamespaceRecord>? Expect { get; set; }
}
