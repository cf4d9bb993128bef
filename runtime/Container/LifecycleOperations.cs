using System.Runtime.InteropServices;
using Runcs.Cgroups;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>`start`: releases init exactly once through the exec fifo.</summary>
public static class StartOperation
{
    /// <param name="known">the state as this process wrote it (run), instead of reading it again.</param>
    public static unsafe void Run(StateStore store, string id, ContainerState? known = null)
    {
        using var lk = store.Lock(id);
        var state = known ?? store.Load(id);
        var status = ContainerStatus.Of(store, state);
        switch (status)
        {
            case ContainerStatus.Stopped: throw new RuncsException("cannot start a container that has stopped");
            case ContainerStatus.Running: throw new RuncsException("cannot start an already running container");
            case ContainerStatus.Paused: throw new RuncsException("cannot start a paused container");
        }
        var fifo = store.FifoFile(id);
        int fd = Sys.Open(fifo, Sys.O_WRONLY | Sys.O_NONBLOCK | Sys.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int e = Marshal.GetLastPInvokeError();
            if (e == Errno.ENXIO || e == Errno.ENOENT) throw new RuncsException("cannot start a container that has stopped");
            throw new SysException("open exec fifo", e);
        }
        try
        {
            byte b = (byte)'0';
            if (Sys.Write(fd, &b, 1) != 1) throw SysException.Last("release init through the exec fifo");
        }
        finally
        {
            Sys.Close(fd);
        }
        Sys.Unlink(fifo);

        var hooks = state.StartHooks ? SavedSpec.TryLoad(store, id)?.Hooks : null;
        if (hooks?.StartContainer?.Count > 0 || hooks?.Poststart?.Count > 0)
        {
            // startContainer hooks run in init now; poststart hooks must follow the exec of the
            // user's program, and any failure of either is start's error (runtime.md, lifecycle).
            if (!WaitForExec(state))
                throw new RuncsException("container process exited before running the user program (a startContainer hook or the exec failed)");
            try
            {
                HookRunner.RunAll("poststart", hooks.Poststart, HookRunner.StateJson(id, ContainerStatus.Running, state.InitPid, state.Bundle, state.Annotations), state.Bundle);
            }
            catch (Exception e) when (e is RuncsException or SysException)
            {
                // Stop the container; the program may have ended already, which must not
                // replace the hook's error with "container not running".
                try { KillOperation.SignalInit(state, 9); }
                catch (Exception k) when (k is RuncsException or SysException) { Logging.RuncLog.Debug($"start {id}: stopping after the poststart failure: {k.Message}"); }
                throw;
            }
        }
    }

    /// <summary>Waits until init has replaced runcs by the user's program (true) or died (false).</summary>
    private static bool WaitForExec(ContainerState state)
    {
        var deadline = Environment.TickCount64 + 120_000;
        while (Environment.TickCount64 < deadline)
        {
            var st = ProcInfo.Stat(state.InitPid);
            // Gone already (reaped): it may well have run and exited at once; nothing tells otherwise.
            if (st == null || st.Value.StartTime != state.InitStartTime) return true;
            // A zombie: init fails with 126/127 before the user's program; anything else is the program's.
            if (st.Value.State is 'Z' or 'X')
            {
                int code = ProcInfo.ExitCode(state.InitPid);
                return code is not (126 << 8) and not (127 << 8);
            }
            string? exe = null;
            try { exe = new FileInfo($"/proc/{state.InitPid}/exe").LinkTarget; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            if (exe != null && !exe.Contains("runcs-exe/runcs-") && !exe.StartsWith("/memfd:runcs")) return true;
            Thread.Sleep(1);
        }
        return ProcInfo.IsAlive(state.InitPid, state.InitStartTime);
    }

    /// <summary>poststart and poststop failures are warnings: the lifecycle goes on (runtime spec).</summary>
    public static void RunWarnOnly(string kind, List<OciRuntime.Spec.Hook>? hooks, string stateJson, string? cwd = null)
    {
        foreach (var h in hooks ?? new List<OciRuntime.Spec.Hook>())
        {
            try { HookRunner.Run(kind, h, stateJson, cwd); }
            catch (Exception e) when (e is RuncsException or SysException) { Logging.RuncLog.Warn(e.Message); }
        }
    }
}

/// <summary>`kill`: a signal to init (through a pidfd, so a reused pid is never hit), or to every process with --all.</summary>
public static class KillOperation
{
    public static void Run(StateStore store, string id, int signal, bool all)
    {
        var state = store.Load(id);
        var status = ContainerStatus.Of(store, state);
        if (status == ContainerStatus.Stopped)
        {
            if (all) return; // idempotent, as engines expect
            throw new RuncsException("container not running");
        }
        if (all)
        {
            var cg = CgroupManager.FromInner(state.CgroupPaths);
            foreach (var pid in cg.Pids()) Sys.Kill(pid, signal);
            if (status == ContainerStatus.Paused && signal == 9) cg.Freeze(false);
            return;
        }
        SignalInit(state, signal);
    }

    public static void SignalInit(ContainerState state, int signal)
    {
        int pidfd = Sys.PidfdOpen(state.InitPid);
        if (pidfd < 0) throw new RuncsException("container not running");
        try
        {
            // Checked after pidfd_open: the pidfd now pins this exact process.
            if (!ProcInfo.IsAlive(state.InitPid, state.InitStartTime)) throw new RuncsException("container not running");
            if (Sys.Syscall(Sys.SYS_pidfd_send_signal, pidfd, signal, 0, 0, 0) < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.ESRCH) throw new RuncsException("container not running");
                throw new SysException($"send signal {signal} to init", e);
            }
        }
        finally
        {
            Sys.Close(pidfd);
        }
    }
}

/// <summary>`delete`: removes a stopped or created container; running or paused ones only with --force.</summary>
public static class DeleteOperation
{
    /// <param name="known">the state as this process wrote it (run), instead of reading it again.</param>
    public static void Run(StateStore store, string id, bool force, ContainerState? known = null)
    {
        if (!store.Exists(id))
        {
            if (force) { store.RemoveDir(id); return; }
            throw new RuncsException("container does not exist");
        }
        using var lk = store.Lock(id);
        var state = known ?? store.Load(id);
        var status = ContainerStatus.Of(store, state);
        var cg = CgroupManager.FromInner(state.CgroupPaths);
        switch (status)
        {
            case ContainerStatus.Stopped:
                break;
            case ContainerStatus.Created:
                // runc deletes a created container (containerd relies on it): its init never ran user code.
                KillAndWait(state, cg, false);
                break;
            default:
                if (!force) throw new RuncsException($"cannot delete container {id} that is not stopped: {status}");
                KillAndWait(state, cg, status == ContainerStatus.Paused);
                break;
        }
        // Processes may linger in the cgroup after init is gone (no pid namespace): end them too.
        if (cg.Pids().Count > 0) KillAndWait(state, cg, false);
        var spec = state.PoststopHooks ? SavedSpec.TryLoad(store, id) : null;
        cg.Destroy();
        store.RemoveDir(id);
        // The state document only when there is a hook to read it (serializing it costs a cold start of the JSON metadata).
        if (spec?.Hooks?.Poststop?.Count > 0)
            StartOperation.RunWarnOnly("poststop", spec.Hooks.Poststop, HookRunner.StateJson(id, ContainerStatus.Stopped, 0, state.Bundle, state.Annotations), state.Bundle);
    }

    private static void KillAndWait(ContainerState state, CgroupManager cg, bool paused)
    {
        int pidfd = Sys.PidfdOpen(state.InitPid);
        bool ours = pidfd >= 0 && ProcInfo.Stat(state.InitPid)?.StartTime == state.InitStartTime;
        if (ours) Sys.Syscall(Sys.SYS_pidfd_send_signal, pidfd, 9, 0, 0, 0);
        foreach (var pid in cg.Pids()) Sys.Kill(pid, 9);
        if (paused) cg.Freeze(false);
        // Wait until init and everything in its cgroup are gone.
        for (int i = 0; i < 2000; i++)
        {
            bool initGone = !ours || !ProcInfo.IsAlive(state.InitPid, state.InitStartTime);
            if (initGone && cg.Pids().Count == 0) break;
            if (i % 50 == 49) foreach (var pid in cg.Pids()) Sys.Kill(pid, 9);
            Thread.Sleep(5);
        }
        if (pidfd >= 0) Sys.Close(pidfd);
    }
}

/// <summary>`pause` / `resume` through the freezer.</summary>
public static class FreezeOperation
{
    public static void Run(StateStore store, string id, bool pause)
    {
        using var lk = store.Lock(id);
        var state = store.Load(id);
        var status = ContainerStatus.Of(store, state);
        // Like runc 1.1: a created container can be paused too (resume brings it back to created).
        if (pause && status != ContainerStatus.Running && status != ContainerStatus.Created)
            throw new RuncsException($"container not running");
        if (!pause && status != ContainerStatus.Paused) throw new RuncsException($"container not paused");
        CgroupManager.FromInner(state.CgroupPaths).Freeze(pause);
    }
}

/// <summary>The spec as create saw it (state dir's config.json), not the bundle's current one.</summary>
public static class SavedSpec
{
    public static OciRuntime.Spec.Spec? TryLoad(StateStore store, string id) => Parse(Sys.TryReadFile(store.ConfigFile(id)));

    /// <summary>linux.seccomp of the saved spec; the whole spec is parsed only when it has one
    /// (a cold parse of a spec costs milliseconds on every exec).</summary>
    public static OciRuntime.Spec.LinuxSeccomp? TrySeccomp(StateStore store, string id)
    {
        var text = Sys.TryReadFile(store.ConfigFile(id));
        return text != null && text.Contains("\"seccomp\"", StringComparison.Ordinal) ? Parse(text)?.Linux?.Seccomp : null;
    }

    private static OciRuntime.Spec.Spec? Parse(string? text)
    {
        if (text == null) return null;
        try { return OciRuntime.Spec.SpecJson.ParseSpec(text); }
        catch (OciRuntime.Spec.SpecException) { return null; }
    }
}
