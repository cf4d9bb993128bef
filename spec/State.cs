using System.Text.Json.Serialization;

namespace OciRuntime.Spec;

/// <summary>The OCI state document (runtime.md "State").</summary>
public sealed class State
{
    [JsonPropertyName("ociVersion")] public string? OciVersion { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    /// <summary>One of <see cref="ContainerStatus"/>.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>Container process id; omitted when 0 (Go omitempty).</summary>
    [JsonPropertyName("pid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Pid { get; set; }

    [JsonPropertyName("bundle")] public string? Bundle { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>Values of <see cref="State.Status"/>.</summary>
public static class ContainerStatus
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
}

/// <summary>State sent over the seccomp listener socket (config.md "listenerPath").</summary>
public sealed class ContainerProcessState
{
    /// <summary>Name of the seccomp notify fd in <see cref="Fds"/>.</summary>
    public const string SeccompFdName = "seccompFd";

    [JsonPropertyName("ociVersion")] public string? OciVersion { get; set; }
    [JsonPropertyName("fds")] public List<string>? Fds { get; set; }
    [JsonPropertyName("pid")] public int Pid { get; set; }
    [JsonPropertyName("metadata")] public string? Metadata { get; set; }
    [JsonPropertyName("state")] public State? State { get; set; }
}
