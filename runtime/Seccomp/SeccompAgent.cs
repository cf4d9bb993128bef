using System.Text;
using OciRuntime.Spec;
using Runcs.Native;

namespace Runcs.Seccomp;

/// <summary>
/// The runtime's side of SCMP_ACT_NOTIFY (config-linux.md "listenerPath"): the container
/// process hands the filter's listener fd to the runtime, which connects to the agent's
/// socket at <c>linux.seccomp.listenerPath</c> and sends one message — the container
/// process state as JSON with the fd attached (SCM_RIGHTS) — then closes its copies.
/// No handshake: the agent may accept after the runtime has gone.
/// </summary>
public static class SeccompAgent
{
    /// <summary>The word of the sync message that carries the listener fd (child → runtime).</summary>
    public const string SyncWord = "seccomp";

    /// <summary>
    /// The message for the agent, field for field as runc sends it: ociVersion, fds
    /// (["seccompFd"], the index of the fd in SCM_RIGHTS), pid (the process that loaded the
    /// filter), metadata (listenerMetadata, omitted when empty) and the container's state
    /// (pid = init's; annotations omitted when empty). Pure.
    /// </summary>
    public static string StateMessage(string id, string status, int initPid, int processPid, string bundle,
        Dictionary<string, string>? annotations, string? metadata)
    {
        var message = new ContainerProcessState
        {
            OciVersion = SpecVersion.Default,
            Fds = new List<string> { ContainerProcessState.SeccompFdName },
            Pid = processPid,
            Metadata = string.IsNullOrEmpty(metadata) ? null : metadata,
            State = new State
            {
                OciVersion = SpecVersion.Default,
                Id = id,
                Status = status,
                Pid = initPid,
                Bundle = bundle,
                Annotations = annotations is { Count: > 0 } ? annotations : null,
            },
        };
        return SpecJson.Serialize(message);
    }

    /// <summary>Connects to the agent and sends the message with the fd; the fd stays the caller's to close.</summary>
    public static void Send(string listenerPath, string message, int fd)
    {
        int sock = Sys.ConnectUnix(listenerPath);
        if (sock < 0) throw SysException.Last($"connect to the seccomp agent at {listenerPath} (linux.seccomp.listenerPath)");
        try
        {
            if (Sys.SendFd(sock, Encoding.UTF8.GetBytes(message), fd) < 0)
                throw SysException.Last($"send the seccomp listener fd to the agent at {listenerPath}");
        }
        finally
        {
            Sys.Close(sock);
        }
    }

    /// <summary>
    /// Handles one "seccomp" sync message of a container process: forwards its fd to the agent,
    /// closes it, and tells the process to go on ("ok"). A failure is thrown (the caller kills
    /// the process: nothing of the user's has run yet).
    /// </summary>
    public static void Forward(Bootstrap.SyncChannel channel, int fd, LinuxSeccomp? seccomp, Func<string> message)
    {
        try
        {
            if (fd < 0) throw new RuncsException("seccomp: the container process sent no listener fd");
            if (string.IsNullOrEmpty(seccomp?.ListenerPath)) throw new RuncsException("linux.seccomp.listenerPath: is not set");
            Send(seccomp.ListenerPath, message(), fd);
        }
        catch (SysException e)
        {
            throw new RuncsException(e.Message);
        }
        finally
        {
            if (fd >= 0) Sys.Close(fd);
        }
        channel.Send("ok");
    }
}
