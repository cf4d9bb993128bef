using System.Globalization;
using System.Text.Json;
using OciRuntime.Spec;
using Runcs.Bootstrap;
using Runcs.Cgroups;
using Runcs.Namespaces;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// `create`: validate the bundle, make the state directory and cgroup, start
/// init through the bootstrap stage, wait until it is ready and blocked before
/// the user's program, record its namespaces, write state and pid file.
/// A failure leaves nothing behind: no state directory, cgroup or process.
/// </summary>
public static class CreateOperation
{
    public sealed class Options
    {
        public string Id { get; init; } = "";
        public string Bundle { get; init; } = "";
        public string? PidFile { get; init; }
        public string? ConsoleSocket { get; init; }
        /// <summary>An already connected console socket (runcs's own terminal proxy); the operation closes it.</summary>
        public int ConsoleSocketFd { get; init; } = -1;
        public bool NoPivot { get; init; }
        public bool NoNewKeyring { get; init; }
        public int PreserveFds { get; init; }
        public bool SystemdCgroup { get; init; }
        /// <summary>The bundle's spec when the caller already loaded it with <see cref="BundleLoader"/>.</summary>
        public Spec? Loaded { get; init; }
        public string? LoadedText { get; init; }
    }

    public static int Run(StateStore store, Options o) => Run(store, o, out _);

    /// <param name="saved">the state as written (run uses it again for start and delete).</param>
    public static int Run(StateStore store, Options o, out ContainerState saved)
    {
        var idProblem = ContainerId.Problem(o.Id);
        if (idProblem != null) throw new RuncsException(idProblem);
        if (o.PreserveFds < 0) throw new RuncsException("--preserve-fds: must not be negative");

        var bundle = Path.GetFullPath(string.IsNullOrEmpty(o.Bundle) ? Directory.GetCurrentDirectory() : o.Bundle);
        string specText;
        Spec spec;
        if (o.Loaded != null && o.LoadedText != null) { spec = o.Loaded; specText = o.LoadedText; }
        else spec = BundleLoader.Load(bundle, out specText);
        Logging.RuncLog.Debug($"create {o.Id}: config loaded and validated");
        if (o.SystemdCgroup && !Directory.Exists("/run/systemd/system"))
            throw new RuncsException("--systemd-cgroup: systemd is not running on this host (no /run/systemd/system); use the cgroupfs driver");
        bool console = o.ConsoleSocketFd >= 0 || !string.IsNullOrEmpty(o.ConsoleSocket);
        if (spec.Process?.Terminal == true && !console)
            throw new RuncsException("cannot allocate tty if runcs will detach without setting console socket");
        if (spec.Process?.Terminal != true && console)
            throw new RuncsException("cannot use console socket if runcs will not detach or allocate tty");

        var namespaces = spec.Linux?.Namespaces ?? new List<LinuxNamespace>();
        var req = new Launcher.Request
        {
            PreserveFds = o.PreserveFds,
            WriteIdMaps = pid => WriteIdMaps(pid, spec),
        };
        BuildMessage(req, namespaces, spec);
        req.PlacementLater();
        // The C stage gets its message now and makes the namespaces while the state directory,
        // the exec fifo, the console and the cgroups are prepared; the files init needs come
        // attached to its configuration. It asks for its cgroup files once its namespaces exist.
        Logging.RuncLog.Debug($"create {o.Id}: starting the C stage");
        Launcher.Pending? pending = Launcher.Spawn(req);
        var cleanup = new Stack<Action>();
        cleanup.Push(() => pending?.Dispose());
        int initPid = 0;
        try
        {
            store.CreateDir(o.Id);
            cleanup.Push(() => store.RemoveDir(o.Id));
            using var lk = store.Lock(o.Id);

            var cgroups = CgroupManager.ForContainer(spec.Linux?.CgroupsPath, o.Id);
            if (CgroupMounts.MountedPrivately)
            {
                // This mount namespace hid the hierarchies (e.g. `ip netns exec`) and they were just
                // mounted privately: init must see them, and the C stage copied the mount namespace
                // before they existed. A new C stage copies it now.
                pending.Dispose();
                pending = Launcher.Spawn(req);
            }
            // The cgroup2 directory first: init is born in it (clone3 CLONE_INTO_CGROUP). The v1
            // hierarchies are made while init's runtime starts; it moves itself into them first
            // thing (see InitEntry), so the C stage need not wait for a dozen mkdirs.
            bool userns = namespaces.Any(n => n.Type == "user");
            static bool IsV2(string key) => key == "v2";
            cleanup.Push(() => cgroups.Destroy());
            cgroups.Create(IsV2);
            cgroups.EnableV2Controllers();
            // Before the process is born into it: a cgroup v2 below a populated one becomes threaded here.
            cgroups.CheckV2Types(spec.Linux?.Resources);
            using var placement = cgroups.OpenPlacement(userNamespace: userns, only: IsV2);
            using var started = pending.Finish(placement);
            pending = null;
            initPid = started.Pid;
            Logging.RuncLog.Debug($"create {o.Id}: bootstrap done, init pid {initPid}");
            int startedPid = initPid;
            cleanup.Push(() => { Sys.Kill(startedPid, 9); Sys.Waitpid(startedPid, out _, 0); });

            cgroups.Create(key => !IsV2(key));
            using var v1 = cgroups.OpenPlacement(userNamespace: userns, only: key => !IsV2(key));
            Logging.RuncLog.Debug($"create {o.Id}: cgroups made");

            Sys.Check(Sys.Mkfifo(store.FifoFile(o.Id), 0x180), "create exec fifo");
            // O_RDWR never blocks on a FIFO; init keeps this end and reads from it until `start` writes.
            int fifo = Sys.CheckFd(Sys.Open(store.FifoFile(o.Id), Sys.O_RDWR | Sys.O_CLOEXEC, 0), "open exec fifo");
            cleanup.Push(() => Sys.Close(fifo));

            int consoleFd = o.ConsoleSocketFd;
            if (consoleFd >= 0)
            {
                int cfd = consoleFd;
                cleanup.Push(() => Sys.Close(cfd));
            }
            else if (!string.IsNullOrEmpty(o.ConsoleSocket))
            {
                consoleFd = ConsoleConnect(o.ConsoleSocket);
                int cfd = consoleFd;
                cleanup.Push(() => Sys.Close(cfd));
            }

            // Id-mapped mounts are made here, on the host, and handed to init to attach.
            var idMapped = IdMapPlan.Build(spec);
            var mountFds = IdMappedMounts.Open(idMapped);
            cleanup.Push(() => { foreach (var fd in mountFds) Sys.Close(fd); });
            // Init was born in its cgroup2 directory unless that was refused (user namespace): then
            // it is moved from here, while its runtime starts. It joins its v1 cgroups itself, makes
            // its cgroup namespace, and runs anything of the user's, only after it receives its
            // configuration below.
            placement.FinishV2(initPid, started.InCgroup);

            // The runtime writes it: init may be non-dumpable in a new user namespace and its /proc files root's.
            Init.ProcessSetup.SetOomScoreAdj(initPid, spec.Process?.OomScoreAdj);
            // What init does not need until its configuration arrives is done now, while its
            // runtime starts (milliseconds the two processes overlap, as runc sets resources after
            // placing its init): limits and device rules are in place before init runs anything.
            // Init joins its v1 memory cgroup only at "ready", so a memory limit never meets the
            // runtime's own pages here.
            cgroups.Apply(spec.Linux?.Resources, spec.Linux?.Devices, create: true);
            cgroups.ApplyDevices(spec.Linux?.Resources?.Devices, spec.Linux?.Devices);
            Logging.RuncLog.Debug($"create {o.Id}: cgroups ready");
            AtomicFile.Write(store.ConfigFile(o.Id), specText, 0x180);
            var attached = new List<int>();
            // The namespaces stage 1 made meanwhile: init enters them first thing.
            var late = started.ReceiveLateNamespaces();
            var enter = late.Count == 0 ? null : late.ToDictionary(n => n.Name, n => InitConfig.Attach(attached, n.Fd));
            cleanup.Push(() => { foreach (var (_, fd) in late) Sys.Close(fd); });
            var cfg = new InitConfig
            {
                Mode = "init",
                EnterNamespaces = enter,
                ContainerId = o.Id,
                Bundle = bundle,
                // config.json as read, not the parsed spec: serializing the whole spec here cost
                // ~4 ms on the path to the container's start; init parses the text itself.
                SpecText = specText,
                NoPivot = o.NoPivot,
                NoNewKeyring = o.NoNewKeyring,
                PreserveFds = o.PreserveFds,
                ConsoleSocketFd = InitConfig.Attach(attached, consoleFd),
                FifoFd = InitConfig.Attach(attached, fifo),
                // Init joins its v1 cgroups first thing and the memory one last, through these files.
                CgroupTasksFds = v1.TaskFds.Count == 0 ? null : v1.TaskFds.Select(fd => InitConfig.Attach(attached, fd)).ToList(),
                MemoryTasksFd = InitConfig.Attach(attached, v1.MemoryTasksFd),
                CgroupPaths = cgroups.Paths,
                MountFds = AttachMountFds(idMapped, mountFds, spec, attached),
            };
            // A memory limit too low for init itself: the kernel's OOM killer ends it before it is
            // ready (the limit was written while the cgroup was empty). Say so, naming the field.
            RuncsException InitGone(string otherwise) => CgroupStats.OomKills(cgroups) > 0
                ? new RuncsException(ResourcePlan.InitOomMessage(spec.Linux?.Resources, cgroups.Paths.Keys.All(k => k == "v2")))
                : new RuncsException(otherwise);
            try { started.Send(DocumentWriter.InitConfig(cfg) ?? JsonSerializer.Serialize(cfg, RuntimeJsonWriter.Default.InitConfig), attached); }
            catch (RuncsException e) { throw InitGone(e.Message); }
            placement.Dispose();
            v1.Dispose(); // after the send: the "tasks" files went with it
            foreach (var (_, fd) in late) Sys.Close(fd); // init holds them now; ours would keep them alive
            late.Clear();
            started.ReapStage1();
            Logging.RuncLog.Debug($"create {o.Id}: configuration sent to init");
            // Until "ready" (or an error), init may ask for the hooks to run in the runtime's
            // namespaces and hand over the listener fd of its seccomp filter (SCMP_ACT_NOTIFY).
            string reply;
            while (true)
            {
                reply = started.Channel.Receive(out int fd) ?? throw InitGone("container init exited before it was ready");
                if (reply == Seccomp.SeccompAgent.SyncWord)
                {
                    Seccomp.SeccompAgent.Forward(started.Channel, fd, spec.Linux?.Seccomp, () => Seccomp.SeccompAgent.StateMessage(
                        o.Id, OciRuntime.Spec.ContainerStatus.Creating, initPid, initPid, bundle, spec.Annotations, spec.Linux?.Seccomp?.ListenerMetadata));
                    Logging.RuncLog.Debug($"create {o.Id}: seccomp listener fd sent to {spec.Linux?.Seccomp?.ListenerPath}");
                    continue;
                }
                if (fd >= 0) Sys.Close(fd);
                if (reply != "hooks") break;
                var hookState = HookRunner.StateJson(o.Id, "creating", initPid, bundle, spec.Annotations);
                try
                {
                    HookRunner.RunAll("prestart", spec.Hooks?.Prestart, hookState, bundle);
                    HookRunner.RunAll("createRuntime", spec.Hooks?.CreateRuntime, hookState, bundle);
                }
                catch
                {
                    started.Channel.Send("fail");
                    throw;
                }
                started.Channel.Send("ok");
            }
            var (word, rest) = SyncChannel.Split(reply);
            if (word == "error") throw new RuncsException($"unable to start container process: {rest}");
            if (word != "ready") throw new RuncsException($"container init: unexpected message '{reply}'");

            Logging.RuncLog.Debug($"create {o.Id}: init ready");
            var stat = ProcInfo.Stat(initPid) ?? throw InitGone("container init exited before it was ready");
            var state = new ContainerState
            {
                Id = o.Id,
                InitPid = initPid,
                InitStartTime = stat.StartTime,
                Bundle = bundle,
                Rootfs = spec.Root!.Path!,
                Created = DateTime.UtcNow,
                Owner = "",
                Annotations = spec.Annotations,
                Namespaces = NamespaceRecorder.Record(initPid, namespaces),
                CgroupPaths = cgroups.InnerPaths,
                SystemdCgroup = o.SystemdCgroup,
                StartHooks = spec.Hooks?.StartContainer?.Count > 0 || spec.Hooks?.Poststart?.Count > 0,
                PoststopHooks = spec.Hooks?.Poststop?.Count > 0,
            };
            store.Save(state);
            saved = state;
            if (!string.IsNullOrEmpty(o.PidFile)) WritePidFile(o.PidFile, initPid);

            Sys.Close(fifo);
            if (consoleFd >= 0) Sys.Close(consoleFd);
            Logging.RuncLog.Debug($"create {o.Id}: state saved");
            return initPid;
        }
        catch
        {
            while (cleanup.Count > 0)
            {
                try { cleanup.Pop()(); } catch (Exception) { /* best effort: report the first error */ }
            }
            throw;
        }
    }

    /// <summary>Per mount of config.json, the attached id-mapped copy init attaches it from (its index), or -1.</summary>
    private static List<int>? AttachMountFds(List<IdMapPlan.Entry> plan, List<int> mountFds, Spec spec, List<int> attached)
    {
        if (plan.Count == 0) return null;
        var fds = Enumerable.Repeat(-1, spec.Mounts!.Count).ToList();
        for (int i = 0; i < plan.Count; i++) fds[plan[i].Index] = InitConfig.Attach(attached, mountFds[i]);
        return fds;
    }

    private static int ConsoleConnect(string path) => Init.ConsoleSetup.Connect(path);

    /// <summary>The C stage's instructions: joins for namespaces with a path, one unshare for the rest.</summary>
    public static void BuildMessage(Launcher.Request req, List<LinuxNamespace> namespaces, Spec spec)
    {
        int unshare = 0;
        // A new cgroup namespace is made by init itself, once it is in its cgroup (see Run).
        foreach (var ns in namespaces)
        {
            var kind = NamespaceKinds.ByOciName(ns.Type ?? "") ?? throw new RuncsException($"linux.namespaces: unknown type '{ns.Type}'");
            if (!string.IsNullOrEmpty(ns.Path)) req.Message.Append($"join {kind.ProcName} {ns.Path}\n");
            else if (kind.CloneFlag != NamespaceKinds.CLONE_NEWCGROUP) unshare |= kind.CloneFlag;
        }
        // Net, ipc, uts and mount namespaces are made by stage 1 after the fork, while init's
        // runtime starts; init enters them before anything else (see bootstrap.c, "late").
        int late = unshare & (NamespaceKinds.CLONE_NEWNET | NamespaceKinds.CLONE_NEWIPC | NamespaceKinds.CLONE_NEWUTS | NamespaceKinds.CLONE_NEWNS);
        unshare &= ~late;
        if (unshare != 0) req.Message.Append($"unshare 0x{unshare:x}\n");
        if (late != 0) req.Message.Append($"late 0x{late:x}\n");
        req.LateFlags = late;
        if ((unshare & NamespaceKinds.CLONE_NEWUSER) != 0) req.Message.Append("usermap\n");
        if ((unshare & NamespaceKinds.CLONE_NEWTIME) != 0)
            foreach (var (clock, off) in spec.Linux?.TimeOffsets ?? new Dictionary<string, LinuxTimeOffset>())
                req.Message.Append(string.Create(CultureInfo.InvariantCulture, $"timens {clock} {off.Secs} {off.Nanosecs}\n"));
    }

    private static void WriteIdMaps(int pid, Spec spec) => UserNamespaceHolder.WriteIdMaps(pid,
        IdMapPlan.Lines(spec.Linux?.UidMappings), IdMapPlan.Lines(spec.Linux?.GidMappings), "the user namespace");

    /// <summary>The host pid in decimal, no newline (containerd's strict Atoi), atomically.</summary>
    public static void WritePidFile(string path, int pid)
    {
        var full = Path.GetFullPath(path);
        AtomicFile.Write(full, pid.ToString(CultureInfo.InvariantCulture), 0x1A4);
    }
}

/// <summary>Reads and checks a bundle's config.json before anything is created.</summary>
public static class BundleLoader
{
    public static Spec Load(string bundle) => Load(bundle, out _);

    /// <param name="text">config.json as read: the state directory keeps this copy (no re-serialization).</param>
    public static Spec Load(string bundle, out string text)
    {
        var configPath = Path.Combine(bundle, "config.json");
        try { text = File.ReadAllText(configPath); }
        catch (FileNotFoundException) { throw new RuncsException($"config.json: open {configPath}: no such file or directory"); }
        catch (DirectoryNotFoundException) { throw new RuncsException($"bundle {bundle}: no such file or directory"); }
        Spec spec;
        try
        {
            spec = SpecJson.ParseSpec(text);
            SpecValidator.Validate(spec);
            SpecValidator.ValidateNamespacePaths(spec, p => File.Exists(p));
        }
        catch (SpecException e)
        {
            throw new RuncsException(e.Message);
        }
        if (spec.Process == null) throw new RuncsException("process: missing (a container needs a process to run)");
        if (!string.IsNullOrEmpty(spec.Hostname) && spec.Linux?.Namespaces?.Any(n => n.Type == "uts") != true)
            throw new RuncsException("hostname: unable to set hostname without a private UTS namespace");
        if (!string.IsNullOrEmpty(spec.Domainname) && spec.Linux?.Namespaces?.Any(n => n.Type == "uts") != true)
            throw new RuncsException("domainname: unable to set domainname without a private UTS namespace");
        if (spec.Linux?.Seccomp != null)
        {
            try { Seccomp.SeccompPlan.Build(spec.Linux.Seccomp); }
            catch (SpecException e) { throw new RuncsException(e.Message); }
        }
        IdMapPlan.Build(spec);
        var sysctlProblem = SysctlRules.Problem(spec);
        if (sysctlProblem != null) throw new RuncsException(sysctlProblem);
        Normalize(spec, bundle);
        if (!Directory.Exists(spec.Root!.Path)) throw new RuncsException($"root.path: rootfs ({spec.Root.Path}) does not exist");
        return spec;
    }

    /// <summary>
    /// Paths made absolute against the bundle: root.path, and relative bind sources (never the
    /// caller's cwd). Pure; init applies it again to the config.json text it receives.
    /// </summary>
    public static Spec Normalize(Spec spec, string bundle)
    {
        var rootPath = spec.Root!.Path!;
        if (!rootPath.StartsWith('/')) spec.Root.Path = Path.GetFullPath(Path.Combine(bundle, rootPath));
        foreach (var m in spec.Mounts ?? new List<Mount>())
        {
            if (!string.IsNullOrEmpty(m.Source) && !m.Source.StartsWith('/') && (Init.MountOptions.Parse(m.Options).IsBind || m.Type == "bind"))
                m.Source = Path.GetFullPath(Path.Combine(bundle, m.Source));
        }
        return spec;
    }
}
