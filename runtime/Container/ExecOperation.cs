using System.Runtime.InteropServices;
using System.Text.Json;
using OciRuntime.Spec;
using Runcs.Bootstrap;
using Runcs.Cgroups;
using Runcs.Namespaces;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// `exec`: a new process in exactly the namespaces of init — all eight types,
/// whether init created, joined or inherited them — or no process at all.
/// The C stage joins through init's pidfd and checks each type against the
/// record made at create; the managed stage checks again right before execve.
/// </summary>
public static class ExecOperation
{
    public sealed class Options
    {
        public string Id { get; init; } = "";
        /// <summary>
        /// The process to run (process.json, or the container's with the flags applied). Called
        /// once the C stage is joining the container: reading it is off the path to the exec.
        /// </summary>
        public Func<ContainerState, OciRuntime.Spec.Process> Process { get; init; } = _ => new();
        public bool Detach { get; init; }
        public string? PidFile { get; init; }
        public string? ConsoleSocket { get; init; }
        public int PreserveFds { get; init; }
        public bool IgnorePaused { get; init; }
        /// <summary>exec --cgroup: controller ("" = every one) → sub-cgroup of the container's cgroup.</summary>
        public Dictionary<string, string>? SubCgroups { get; init; }
    }

    public static int Run(StateStore store, Options o)
    {
        var state = store.Load(o.Id);
        int pidfd = Sys.PidfdOpen(state.InitPid);
        if (pidfd < 0) throw new RuncsException($"container {o.Id} is not running");
        int consoleFd = -1, proxyEnd = -1;
        Launcher.Pending? pending = null;
        try
        {
            // The pidfd pins one process; its start time proves it is init and not a reused pid.
            if (!ProcInfo.IsAlive(state.InitPid, state.InitStartTime)) throw new RuncsException($"container {o.Id} is not running");

            // The C stage gets its message now and joins init's namespaces while the rest is
            // settled; nothing of the user's runs before its configuration, which follows.
            var req = new Launcher.Request
            {
                PreserveFds = o.PreserveFds,
            };
            req.ExtraFds.Add(pidfd);
            int joinFlags = JoinFlags(state);
            req.Message.Append($"pidfd {Launcher.ChildFdOf(o.PreserveFds, 0)} 0x{joinFlags:x}\n");
            foreach (var (name, rec) in state.Namespaces)
                req.Message.Append($"expect {name} {rec.Device} {rec.Inode}\n");
            req.PlacementLater();
            pending = Prefixed(o.Id, () => Launcher.Spawn(req));

            var status = ContainerStatus.Of(store, state);
            if (status == ContainerStatus.Stopped) throw new RuncsException($"container {o.Id} is not running");
            if (status == ContainerStatus.Paused && !o.IgnorePaused)
                throw new RuncsException("cannot exec in a paused container (use --ignore-paused to override)");
            var process = o.Process(state);
            if (process.Terminal == true && string.IsNullOrEmpty(o.ConsoleSocket) && o.Detach)
                throw new RuncsException("cannot allocate tty if runcs will detach without setting console socket");
            if (process.Terminal != true && !string.IsNullOrEmpty(o.ConsoleSocket))
                throw new RuncsException("cannot use console socket if runcs will not detach or allocate tty");
            // The console socket: the caller's, or, for a foreground terminal, runcs's own proxy.
            if (!string.IsNullOrEmpty(o.ConsoleSocket)) consoleFd = Init.ConsoleSetup.Connect(o.ConsoleSocket);
            else if (process.Terminal == true) (proxyEnd, consoleFd) = TerminalProxy.CreateConsoleSocket();

            // The C stage asks for its cgroup files once it has joined init's namespaces.
            using var placement = Prefixed(o.Id, () => CgroupManager.FromInner(state.CgroupPaths).OpenPlacement(o.SubCgroups,
                userNamespace: (joinFlags & Namespaces.NamespaceKinds.CLONE_NEWUSER) != 0));
            var waiting = pending;
            pending = null;
            using var started = Prefixed(o.Id, () => waiting.Finish(placement));
            // The C stage placed the process itself (see bootstrap.c), unless cgroup2 refused it
            // (user namespace): then it is moved from here. It runs nothing of the user's before it
            // receives its configuration.
            Prefixed(o.Id, () => { placement.FinishV2(started.Pid, started.InCgroup); return 0; });
            Init.ProcessSetup.SetOomScoreAdj(started.Pid, process.OomScoreAdj);
            var seccomp = SavedSpec.TrySeccomp(store, o.Id);
            var attached = new List<int>();
            var cfg = new InitConfig
            {
                Mode = "exec",
                ContainerId = o.Id,
                Seccomp = seccomp,
                Process = process,
                PreserveFds = o.PreserveFds,
                ConsoleSocketFd = InitConfig.Attach(attached, consoleFd),
                // The v1 memory "tasks" file, joined right before execve.
                MemoryTasksFd = InitConfig.Attach(attached, placement.MemoryTasksFd),
                Expect = state.Namespaces,
            };
            Prefixed(o.Id, () => { started.Send(DocumentWriter.InitConfig(cfg) ?? JsonSerializer.Serialize(cfg, RuntimeJsonWriter.Default.InitConfig), attached); return 0; });
            placement.Dispose(); // after the send: the memory "tasks" file went with it
            started.ReapStage1();
            // Silence until the socket closes means execve succeeded (the socket is close-on-exec).
            // Before that, the process may hand over its seccomp listener fd (SCMP_ACT_NOTIFY).
            var reply = started.Channel.Receive(out int listener);
            if (reply == Seccomp.SeccompAgent.SyncWord)
            {
                try
                {
                    Prefixed(o.Id, () =>
                    {
                        Seccomp.SeccompAgent.Forward(started.Channel, listener, seccomp, () => Seccomp.SeccompAgent.StateMessage(
                            o.Id, status, state.InitPid, started.Pid, state.Bundle, state.Annotations, seccomp?.ListenerMetadata));
                        return 0;
                    });
                }
                catch
                {
                    // It waits for our word before anything of the user's runs: nothing is left behind.
                    Sys.Kill(started.Pid, 9);
                    Sys.Waitpid(started.Pid, out _, 0);
                    throw;
                }
                reply = started.Channel.Receive(out listener);
            }
            if (listener >= 0) Sys.Close(listener);
            if (reply != null)
            {
                var (word, rest) = SyncChannel.Split(reply);
                Sys.Waitpid(started.Pid, out _, 0);
                throw new RuncsException(word == "error" ? $"exec {o.Id}: {rest}" : $"exec {o.Id}: unexpected message '{reply}'");
            }
            if (!string.IsNullOrEmpty(o.PidFile)) CreateOperation.WritePidFile(o.PidFile, started.Pid);
            if (o.Detach) return 0;
            if (proxyEnd >= 0)
            {
                using var proxy = TerminalProxy.Receive(proxyEnd);
                proxy.Start();
                using var fwd = new SignalForwarder(started.Pid, skipWinch: true);
                return Launcher.Wait(started.Pid);
            }
            using (new SignalForwarder(started.Pid)) return Launcher.Wait(started.Pid);
        }
        finally
        {
            pending?.Dispose();
            Sys.Close(pidfd);
            if (consoleFd >= 0) Sys.Close(consoleFd);
            if (proxyEnd >= 0) Sys.Close(proxyEnd);
        }
    }

    /// <summary>Errors of the joining process name the container: "exec ID: net namespace mismatch: ...".</summary>
    private static T Prefixed<T>(string id, Func<T> f)
    {
        try { return f(); }
        catch (RuncsException e) when (!e.Message.StartsWith("exec ")) { throw new RuncsException($"exec {id}: {e.Message}"); }
    }

    /// <summary>Every recorded type; the user namespace only when it differs from ours (joining one's own is EINVAL).</summary>
    public static int JoinFlags(ContainerState state)
    {
        int flags = 0;
        foreach (var (name, rec) in state.Namespaces)
        {
            var kind = NamespaceKinds.ByProcName(name);
            if (kind == null) continue;
            if (kind.ProcName == "user")
            {
                var mine = Sys.TryStatId("/proc/self/ns/user");
                var inits = Sys.TryStatId($"/proc/{state.InitPid}/ns/user");
                if (mine != null && inits != null && mine.Value == inits.Value) continue;
            }
            flags |= kind.CloneFlag;
        }
        return flags;
    }

    /// <summary>The process of an exec without --process: the container's, with the command and flags applied (as runc).</summary>
    public static OciRuntime.Spec.Process BuildProcess(Spec containerSpec, List<string> args, bool tty, string? cwd,
        IReadOnlyList<string> env, string? user, IReadOnlyList<string> additionalGids, IReadOnlyList<string> caps, bool noNewPrivs,
        string? apparmor, string? processLabel)
    {
        var baseProcess = containerSpec.Process ?? new OciRuntime.Spec.Process();
        var p = new OciRuntime.Spec.Process
        {
            Args = args,
            Terminal = tty,
            Cwd = string.IsNullOrEmpty(cwd) ? baseProcess.Cwd : cwd,
            Env = MergeEnv(baseProcess.Env, env),
            User = new User { Uid = baseProcess.User?.Uid ?? 0, Gid = baseProcess.User?.Gid ?? 0, AdditionalGids = baseProcess.User?.AdditionalGids, Umask = baseProcess.User?.Umask },
            Capabilities = baseProcess.Capabilities,
            Rlimits = baseProcess.Rlimits,
            NoNewPrivileges = baseProcess.NoNewPrivileges == true || noNewPrivs,
            ApparmorProfile = string.IsNullOrEmpty(apparmor) ? baseProcess.ApparmorProfile : apparmor,
            SelinuxLabel = string.IsNullOrEmpty(processLabel) ? baseProcess.SelinuxLabel : processLabel,
            OomScoreAdj = baseProcess.OomScoreAdj,
        };
        if (!string.IsNullOrEmpty(user))
        {
            var parts = user.Split(':');
            if (parts.Length > 2) throw new RuncsException($"--user: invalid value '{user}' (numeric uid[:gid] expected)");
            if (!uint.TryParse(parts[0], out var uid)) throw new RuncsException($"--user: invalid uid '{parts[0]}' (numeric uid[:gid] expected)");
            p.User.Uid = uid;
            if (parts.Length > 1)
            {
                if (!uint.TryParse(parts[1], out var gid)) throw new RuncsException($"--user: invalid gid '{parts[1]}'");
                p.User.Gid = gid;
            }
        }
        if (additionalGids.Count > 0)
        {
            // Added to the container's groups, as runc does.
            p.User.AdditionalGids = new List<uint>(baseProcess.User?.AdditionalGids ?? new List<uint>());
            foreach (var g in additionalGids)
            {
                if (!uint.TryParse(g, out var gid)) throw new RuncsException($"--additional-gids: invalid gid '{g}'");
                p.User.AdditionalGids.Add(gid);
            }
        }
        if (caps.Count > 0)
        {
            var c = p.Capabilities ?? new LinuxCapabilities();
            // Never inheritable, and ambient only when the container already has inheritable
            // capabilities: the CVE-2022-29162 rule runc follows since 1.1.2.
            p.Capabilities = new LinuxCapabilities
            {
                Bounding = Add(c.Bounding, caps), Effective = Add(c.Effective, caps), Permitted = Add(c.Permitted, caps),
                Inheritable = c.Inheritable,
                Ambient = c.Inheritable is { Count: > 0 } ? Add(c.Ambient, caps) : c.Ambient,
            };
        }
        return p;
    }

    private static List<string> Add(List<string>? set, IReadOnlyList<string> more)
    {
        var r = new List<string>(set ?? new List<string>());
        foreach (var m in more) if (!r.Contains(m)) r.Add(m);
        return r;
    }

    /// <summary>--env entries override same-named entries of the container's env.</summary>
    public static List<string> MergeEnv(List<string>? baseEnv, IReadOnlyList<string> extra)
    {
        var result = new List<string>(baseEnv ?? new List<string>());
        foreach (var e in extra)
        {
            var key = e.Split('=', 2)[0];
            result.RemoveAll(x => x.Split('=', 2)[0] == key);
            result.Add(e);
        }
        return result;
    }
}
