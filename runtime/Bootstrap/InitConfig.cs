using System.Text.Json.Serialization;
using OciRuntime.Spec;
using Runcs.Container;

namespace Runcs.Bootstrap;

/// <summary>What the runtime tells its managed child once the C stage is done.</summary>
public sealed class InitConfig
{
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
    [JsonPropertyName("consoleSocketFd")] public int ConsoleSocketFd { get; set; } = -1;
    [JsonPropertyName("fifoFd")] public int FifoFd { get; set; } = -1;
    /// <summary>Hierarchy key → the container's cgroup directory on the host (for the cgroup mount without a cgroup namespace).</summary>
    [JsonPropertyName("cgroupPaths")] public Dictionary<string, string>? CgroupPaths { get; set; }
    /// <summary>init: per mount of spec.mounts, the fd of its id-mapped copy made by the runtime, or -1.</summary>
    [JsonPropertyName("mountFds")] public List<int>? MountFds { get; set; }
    /// <summary>
    /// The cgroup v1 memory "tasks" file the process writes "0" to right before execve, or -1.
    /// Not in the JSON: the file comes attached to the configuration message (SCM_RIGHTS).
    /// </summary>
    [JsonIgnore] public int MemoryTasksFd { get; set; } = -1;
    /// <summary>exec: the record to check once more right before execve.</summary>
    [JsonPropertyName("expect")] public Dictionary<string, NamespaceRecord>? Expect { get; set; }
}
