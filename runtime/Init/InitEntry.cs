using System.Text;
using System.Text.Json;
using OciRuntime.Spec;
using Runcs.Bootstrap;
using Runcs.Container;
using Runcs.Native;

namespace Runcs.Init;

/// <summary>
/// The managed side of a container process, after the C stage put it in its
/// namespaces: init (prepare the rootfs, report ready, wait for start, execve)
/// or exec (check the namespaces again, execve). Any failure goes to the
/// runtime as "error MESSAGE" and ends this process; the runtime prints it.
/// </summary>
public static class InitEntry
{
    private static bool readySent;

    public static int Run(int syncFd)
    {
        var sync = new SyncChannel(syncFd);
        // fds handed over by posix_spawn had CLOEXEC cleared; the workload must not inherit them.
        Sys.Fcntl(syncFd, Sys.F_SETFD, Sys.FD_CLOEXEC);
        try
        {
            var text = sync.Receive(out int[] attached) ?? throw new RuncsException("the runtime went away before sending the container configuration");
            var cfg = RuntimeJsonReader.TryInitConfig(text)
                      ?? JsonSerializer.Deserialize(text, RuntimeJson.Default.InitConfig)
                      ?? throw new RuncsException("empty container configuration");
            // Console socket, exec fifo, memory "tasks" file, id-mapped mounts: attached to the
            // message (received close-on-exec), named in it by index.
            cfg.ResolveAttached(attached);
            if (cfg.Mode == "exec") RunExec(cfg, sync);
            else RunInit(cfg, sync);
            return 1; // not reached: both end in execve
        }
        catch (Exception e)
        {
            var message = e is IOException or UnauthorizedAccessException or RuncsException or SysException or SpecException
                ? SysException.Describe(e) : $"{e.GetType().Name}: {e.Message}";
            if (readySent)
            {
                // After start nobody reads the channel: the container's stderr is the only witness.
                Console.Error.WriteLine($"runcs: {message}");
                return message.Contains("not found") || message.Contains("no such file") ? 127 : 126;
            }
            try { sync.Send("error", message); }
            catch { /* the runtime is gone; nothing to tell */ }
            return 1;
        }
    }

    private static void RunInit(InitConfig cfg, SyncChannel sync)
    {
        if (cfg.SpecText == null) throw new RuncsException("no spec for init");
        // The runtime validated this text before it started us; parse it as it did.
        var spec = cfg.Spec = BundleLoader.Normalize(SpecJson.ParseSpec(cfg.SpecText), cfg.Bundle ?? "/");
        cfg.Process ??= spec.Process;
        cfg.Seccomp ??= spec.Linux?.Seccomp;
        var process = cfg.Process ?? spec.Process ?? throw new RuncsException("process: missing");
        var namespaces = spec.Linux?.Namespaces ?? new List<LinuxNamespace>();
        bool newMnt = namespaces.Any(n => n.Type == "mount");
        JoinCgroups(cfg.CgroupTasksFds);
        EnterLateNamespaces(cfg.EnterNamespaces);
        int lastCap = ReadLastCap();

        // The runtime put us in the container's cgroup before sending the configuration:
        // a new cgroup namespace made now is rooted there.
        if (namespaces.Any(n => n.Type == "cgroup" && string.IsNullOrEmpty(n.Path)))
            Sys.Check(Sys.Unshare(0x02000000 /* CLONE_NEWCGROUP */), "create cgroup namespace");
        Sys.Setsid();
        Sys.Umask(0);

        if (cfg.Seccomp != null) Seccomp.SeccompLoader.Preload();
        var rootfs = new Rootfs(spec, cfg);
        rootfs.Prepare(ownMountNamespace: newMnt);

        // Mounts are done, pivot_root is not: prestart and createRuntime run now in
        // the runtime's namespaces (the runtime runs them), createContainer here.
        var hooks = spec.Hooks;
        if (hooks?.Prestart?.Count > 0 || hooks?.CreateRuntime?.Count > 0)
        {
            sync.Send("hooks");
            var reply = sync.Receive();
            if (reply != "ok") Environment.Exit(1); // the runtime reports its own error
        }
        if (hooks?.CreateContainer?.Count > 0)
            HookRunner.RunAll("createContainer", hooks.CreateContainer,
                HookRunner.StateJson(cfg.ContainerId, "creating", Environment.ProcessId, cfg.Bundle ?? "", spec.Annotations));

        if (namespaces.Any(n => n.Type == "network" && string.IsNullOrEmpty(n.Path))) ProcessAttributes.BringUpLoopback();
        if (!string.IsNullOrEmpty(spec.Hostname)) SetName(spec.Hostname, true);
        if (!string.IsNullOrEmpty(spec.Domainname)) SetName(spec.Domainname, false);

        if (newMnt) rootfs.SwitchRoot();
        else
        {
            Sys.Check(Sys.Chroot(spec.Root!.Path!), "chroot into the rootfs");
            Sys.Check(Sys.Chdir("/"), "chdir /");
        }

        foreach (var (key, value) in spec.Linux?.Sysctl ?? new Dictionary<string, string>())
            Sys.WriteFile("/proc/sys/" + key.Replace('.', '/'), value, $"write sysctl {key}");

        if (process.Terminal == true)
        {
            if (cfg.ConsoleSocketFd < 0) throw new RuncsException("process.terminal is true but no --console-socket was given");
            ConsoleSetup.Setup(cfg.ConsoleSocketFd, process.ConsoleSize, mountConsole: true);
        }

        if (newMnt) rootfs.FinishMounts();

        FinishAndExec(cfg, process, lastCap, sync, waitForStart: true);
    }

    private static void RunExec(InitConfig cfg, SyncChannel sync)
    {
        var process = cfg.Process ?? throw new RuncsException("no process for exec");
        int lastCap = ReadLastCap();
        if (process.Terminal == true)
        {
            if (cfg.ConsoleSocketFd < 0) throw new RuncsException("--tty needs --console-socket");
            ConsoleSetup.Setup(cfg.ConsoleSocketFd, process.ConsoleSize, mountConsole: false);
        }
        FinishAndExec(cfg, process, lastCap, sync, waitForStart: false);
    }

    /// <summary>cwd, rlimits, user, capabilities, no_new_privs; then (init) wait for start; then execve.</summary>
    private static void FinishAndExec(InitConfig cfg, OciRuntime.Spec.Process process, int lastCap, SyncChannel sync, bool waitForStart)
    {
        var cwd = string.IsNullOrEmpty(process.Cwd) ? "/" : process.Cwd;
        if (Sys.Chdir(cwd) < 0)
        {
            // runc creates a missing cwd for init.
            if (waitForStart) { Sys.MkdirAll(cwd, "create cwd"); Sys.Check(Sys.Chdir(cwd), $"chdir to cwd {cwd}"); }
            else throw new RuncsException($"chdir to cwd (\"{cwd}\") set in config.json failed: {Errno.Message(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
        var args = process.Args ?? throw new RuncsException("process.args: missing");
        if (args.Count == 0) throw new RuncsException("process.args: must not be empty");
        var env = ProcessSetup.WithHome(process.Env ?? new List<string>(), process.User?.Uid ?? 0);
        var exe = ProcessSetup.ResolveExecutable(args[0], env);

        if (!cfg.NoNewKeyring && waitForStart)
        {
            if (Sys.JoinSessionKeyring("_ses." + cfg.ContainerId) < 0)
            {
                int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (e != Errno.ENOSYS && e != Errno.EPERM && e != 122 /* EDQUOT */) throw new SysException("join a new session keyring", e);
            }
        }

        ProcessSetup.CheckRlimits(process.Rlimits);
        ProcessAttributes.CheckAppArmor(process.ApparmorProfile);
        if (waitForStart) ProcessAttributes.ApplyPersonality(cfg.Spec?.Linux?.Personality);
        ProcessAttributes.ApplyIoPriority(process.IOPriority);
        ProcessAttributes.ApplyScheduler(process.Scheduler);
        ProcessAttributes.ApplyAffinity(process.ExecCPUAffinity?.Initial, "process.execCPUAffinity.initial");
        // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: do it before the
        // capabilities are dropped. With it, as late as possible (fewer syscalls to allow) —
        // but a filter with SCMP_ACT_NOTIFY rules must hand its listener fd to the runtime,
        // so it is loaded while the runtime still listens: before "ready" (init), before
        // execve closes the channel (exec). As runc does.
        var seccomp = cfg.Seccomp == null ? null : Seccomp.SeccompPlan.Build(cfg.Seccomp);
        bool nnp = process.NoNewPrivileges == true;
        bool notify = seccomp?.UsesNotify == true;
        if (seccomp != null && !nnp) LoadSeccomp(seccomp, sync);
        ProcessSetup.ApplyUser(process.User, process.Capabilities, lastCap);
        Sys.Umask(process.User?.Umask ?? 0x12 /* 022 */);

        if (cfg.Expect != null) VerifyNamespaces(cfg.Expect);
        if (seccomp != null && nnp && notify)
        {
            ProcessSetup.SetNoNewPrivileges(true);
            LoadSeccomp(seccomp, sync);
        }

        // Built now, while init's pages are still charged to the runtime's memory cgroup (below).
        var prepared = ProcessSetup.PrepareExec(exe, args, env);
        nint filter = seccomp != null && nnp && !notify ? Seccomp.SeccompLoader.Prepare(seccomp) : 0;
        if (waitForStart)
        {
            // cgroup v1: init joins its memory cgroup before "ready", not at execve: when create
            // returns, engines read /proc/PID/cgroup once to watch the container's memory cgroup
            // for OOM and metrics (containerd's shim, conmon; CLI-CONTRACT.md). The runtime's pages
            // charged so far stay where they were charged; little is allocated from here on.
            JoinMemoryCgroup(cfg.MemoryTasksFd);
            sync.Send("ready"u8);
            readySent = true;
            WaitForStart(cfg.FifoFd);
            if (cfg.Spec?.Hooks?.StartContainer?.Count > 0)
                HookRunner.RunAll("startContainer", cfg.Spec.Hooks.StartContainer,
                    HookRunner.StateJson(cfg.ContainerId, "created", Environment.ProcessId, cfg.Bundle ?? "", cfg.Spec.Annotations));
        }
        // Labels and the final affinity take effect at execve; set them last.
        ProcessAttributes.ApplyAppArmor(process.ApparmorProfile);
        ProcessAttributes.ApplySelinux(process.SelinuxLabel);
        ProcessAttributes.ApplyAffinity(process.ExecCPUAffinity?.Final, "process.execCPUAffinity.final");
        ProcessSetup.ResetSignals();
        // From here on nothing allocates: rlimits (a low RLIMIT_AS), capabilities,
        // no_new_privs, the filter, execve.
        ProcessSetup.ApplyRlimits(process.Rlimits);
        ProcessSetup.ApplyCaps(process.Capabilities);
        ProcessSetup.SetNoNewPrivileges(nnp);
        if (!waitForStart) JoinMemoryCgroup(cfg.MemoryTasksFd); // exec: last, right before execve
        if (filter != 0) Seccomp.SeccompLoader.Load(filter);
        ProcessSetup.Exec(prepared);
    }

    /// <summary>
    /// Moves this thread (the one that execs the workload) into the container's v1 cgroups:
    /// "0" to each "tasks" file. One thread moving itself takes no global lock (no RCU wait, as a
    /// whole process would); the runtime's other threads stay where they are and end at execve.
    /// </summary>
    private static void JoinCgroups(List<int>? tasksFds)
    {
        if (tasksFds == null) return;
        foreach (var fd in tasksFds)
        {
            JoinThroughTasks(fd, "join the container's cgroup (write 0 to a v1 tasks file)");
            Sys.Close(fd);
        }
    }

    /// <summary>
    /// cgroup v1: into the container's memory cgroup now, from the thread that calls execve (a
    /// v1 "tasks" write moves one thread; execve keeps only this one; new charges follow the
    /// thread group leader, which this is). Pages charged so far stay with the runtime's cgroup.
    /// No allocation.
    /// </summary>
    private static void JoinMemoryCgroup(int tasksFd)
    {
        if (tasksFd >= 0) JoinThroughTasks(tasksFd, "join the container's memory cgroup (write 0 to its tasks file)");
    }

    /// <summary>"0" to a v1 "tasks" file: this thread joins that cgroup. No allocation.</summary>
    private static unsafe void JoinThroughTasks(int tasksFd, string what)
    {
        byte zero = (byte)'0';
        if (Sys.Write(tasksFd, &zero, 1) != 1) throw SysException.Last(what);
    }

    /// <summary>
    /// Loads the filter into this thread. When it has SCMP_ACT_NOTIFY rules, its listener fd
    /// goes to the runtime at once — between the load and the handover runcs itself calls only
    /// sendmsg (and free() on libseccomp's buffers, which seldom reaches the kernel), so no
    /// notification can block it while no agent has the fd (the plan refuses NOTIFY for
    /// sendmsg, and for write as runc does) — and this process waits until the runtime
    /// has passed it to the agent: nothing of the user's runs when the agent is unreachable.
    /// </summary>
    private static void LoadSeccomp(Seccomp.SeccompPlan plan, SyncChannel sync)
    {
        int listener = Seccomp.SeccompLoader.LoadFilter(plan);
        if (listener < 0) return;
        sync.SendFd("seccomp"u8, listener); // SeccompAgent.SyncWord, without an allocation
        var reply = sync.Receive();
        Sys.Close(listener);
        if (reply != "ok") Environment.Exit(1); // the runtime reports its own error and kills us
    }

    /// <summary>Blocks until `runcs start` writes to the exec fifo (or the runtime deletes the container).</summary>
    private static unsafe void WaitForStart(int fifoFd)
    {
        byte b;
        while (true)
        {
            nint n = Sys.Read(fifoFd, &b, 1);
            if (n == 1) break;
            int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (n < 0 && e == Errno.EINTR) continue;
            Environment.Exit(1);
        }
        Sys.Close(fifoFd);
    }

    /// <summary>The last check before execve: every namespace of this process is the one recorded for init.</summary>
    private static void VerifyNamespaces(Dictionary<string, NamespaceRecord> expect)
    {
        var procFdText = Environment.GetEnvironmentVariable("_RUNCS_PROCFD");
        if (!int.TryParse(procFdText, out int procFd)) throw new RuncsException("namespace check: no handle on /proc");
        foreach (var (name, rec) in expect)
        {
            if (Sys.FstatAt(procFd, $"self/ns/{name}", out var st, 0) < 0)
                throw SysException.Last($"check {name} namespace: stat /proc/self/ns/{name}");
            if (st.Ino != rec.Inode || st.Dev != rec.Device)
                throw new RuncsException($"{name} namespace mismatch: container has {name}:[{rec.Inode}], process would run in {name}:[{st.Ino}]");
        }
        Sys.Close(procFd);
    }

    /// <summary>
    /// Enters the namespaces the C stage made after forking this process (net, ipc, uts, then mount;
    /// see bootstrap.c, "late"): setns on this thread, the one that execs the workload, and checks
    /// each landed. A mount namespace needs an fs struct of its own first (unshare(CLONE_FS)): the
    /// runtime's other threads keep theirs, and execve ends them. Nothing else ran before this.
    /// </summary>
    private static void EnterLateNamespaces(Dictionary<string, int>? enter)
    {
        if (enter == null) return;
        foreach (var name in new[] { "net", "ipc", "uts", "mnt" })
        {
            if (!enter.TryGetValue(name, out int fd)) continue;
            var kind = Namespaces.NamespaceKinds.ByProcName(name) ?? throw new RuncsException($"unknown namespace {name}");
            if (kind.CloneFlag == Namespaces.NamespaceKinds.CLONE_NEWNS)
                Sys.Check(Sys.Unshare(0x00000200 /* CLONE_FS */), "unshare the fs struct before entering the mount namespace");
            if (Sys.Syscall(Sys.SYS_setns, fd, kind.CloneFlag, 0, 0, 0) < 0)
                throw SysException.Last($"enter the container's {name} namespace");
            Sys.Check(Sys.Fstat(fd, out var want), $"stat the container's {name} namespace");
            if (Sys.StatPath($"/proc/thread-self/ns/{name}", out var now) < 0 || now.Ino != want.Ino || now.Dev != want.Dev)
                throw new RuncsException($"{name} namespace: not entered (this thread is not in the one the C stage made)");
            Sys.Close(fd);
        }
    }

    private static int ReadLastCap()
    {
        var t = Sys.TryReadFile("/proc/sys/kernel/cap_last_cap");
        return int.TryParse(t?.Trim(), out var n) ? n : 40;
    }

    private static unsafe void SetName(string name, bool host)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
        {
            int rc = host ? Sys.Sethostname(p, bytes.Length) : Sys.Setdomainname(p, bytes.Length);
            if (rc < 0) throw SysException.Last(host ? $"sethostname {name}" : $"setdomainname {name}");
        }
    }
}
