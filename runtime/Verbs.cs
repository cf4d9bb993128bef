using System.Text;
using System.Text.Json;
using OciRuntime.Spec;
using Runcs.Cli;
using Runcs.Container;
using Runcs.Native;
using ContainerStatus = Runcs.Container.ContainerStatus;

namespace Runcs;

/// <summary>From parsed arguments to operations: one method per verb, nothing else.</summary>
public static class Verbs
{
    public static int Dispatch(ParsedArgs a)
    {
        var store = new StateStore(a.Global.Root);
        // Verbs that start a container process: its C stage execs while they read their input.
        if (a.Verb is "create" or "run" or "exec") Bootstrap.Launcher.SpawnEarly(a.GetInt("preserve-fds"));
        switch (a.Verb)
        {
            case "create": Create(store, a); return 0;
            case "start": StartOperation.Run(store, a.Positionals[0]); return 0;
            case "run": return Run(store, a);
            case "state": return State(store, a.Positionals[0]);
            case "kill": return Kill(store, a);
            case "delete": DeleteOperation.Run(store, a.Positionals[0], a.GetBool("force")); return 0;
            case "exec": return Exec(store, a);
            case "list": return List(store, a);
            case "ps": return Ps(store, a);
            case "pause": FreezeOperation.Run(store, a.Positionals[0], true); return 0;
            case "resume": FreezeOperation.Run(store, a.Positionals[0], false); return 0;
            case "update": return Update(store, a);
            case "events": return Events(store, a);
            case "spec": return WriteSpec(a);
            case "features": return Features();
            case "init": throw new RuncsException("init is only run by runcs itself");
            default: throw new RuncsException($"runcs: {a.Verb} is not supported yet");
        }
    }

    private static CreateOperation.Options CreateOptions(ParsedArgs a) => new()
    {
        Id = a.Positionals[0],
        Bundle = a.GetString("bundle") ?? "",
        PidFile = a.GetString("pid-file"),
        ConsoleSocket = a.GetString("console-socket"),
        NoPivot = a.GetBool("no-pivot"),
        NoNewKeyring = a.GetBool("no-new-keyring"),
        PreserveFds = a.GetInt("preserve-fds"),
        SystemdCgroup = a.Global.SystemdCgroup,
    };

    private static void Create(StateStore store, ParsedArgs a)
    {
        CreateOperation.Run(store, CreateOptions(a));
    }

    private static int Run(StateStore store, ParsedArgs a)
    {
        bool detach = a.GetBool("detach");
        var o = CreateOptions(a);
        // Load the bundle once: the terminal decision needs it, and create uses it.
        var idProblem = ContainerId.Problem(o.Id);
        if (idProblem != null) throw new RuncsException(idProblem);
        var spec = BundleLoader.Load(Path.GetFullPath(string.IsNullOrEmpty(o.Bundle) ? Directory.GetCurrentDirectory() : o.Bundle), out var specText);
        int mine = -1, theirs = -1;
        if (!detach && string.IsNullOrEmpty(o.ConsoleSocket) && spec.Process?.Terminal == true)
        {
            // Foreground with a terminal: runcs is the console socket and proxies the pty.
            (mine, theirs) = TerminalProxy.CreateConsoleSocket();
        }
        o = new CreateOperation.Options
        {
            Id = o.Id, Bundle = o.Bundle, PidFile = o.PidFile, ConsoleSocket = o.ConsoleSocket, ConsoleSocketFd = theirs, NoPivot = o.NoPivot,
            NoNewKeyring = o.NoNewKeyring, PreserveFds = o.PreserveFds, SystemdCgroup = o.SystemdCgroup, Loaded = spec, LoadedText = specText,
        };
        TerminalProxy? proxy = null;
        try
        {
            int pid = CreateOperation.Run(store, o, out var state);
            if (mine >= 0) proxy = TerminalProxy.Receive(mine);
            try
            {
                StartOperation.Run(store, o.Id, state);
            }
            catch
            {
                TryDelete(store, o.Id, state);
                throw;
            }
            if (detach) return 0;
            proxy?.Start();
            int code;
            using (new SignalForwarder(pid, skipWinch: proxy != null)) code = Bootstrap.Launcher.Wait(pid);
            proxy?.Dispose();
            proxy = null;
            if (!a.GetBool("keep")) TryDelete(store, o.Id, state);
            return code;
        }
        finally
        {
            proxy?.Dispose();
            if (mine >= 0) Sys.Close(mine);
        }
    }

    private static void TryDelete(StateStore store, string id, ContainerState? known = null)
    {
        try { DeleteOperation.Run(store, id, true, known); }
        catch (Exception e) when (e is RuncsException or SysException or IOException) { Logging.RuncLog.Warn($"delete {id}: {e.Message}"); }
    }

    private static int State(StateStore store, string id)
    {
        var s = store.Load(id);
        StdOut.WriteLine(DocumentWriter.StateOutput(ToOutput(store, s), indented: true));
        return 0;
    }

    private static StateOutput ToOutput(StateStore store, ContainerState s)
    {
        var status = ContainerStatus.Of(store, s);
        return new StateOutput
        {
            OciVersion = SpecVersion.Default,
            Id = s.Id,
            Pid = status == ContainerStatus.Stopped ? 0 : s.InitPid,
            Status = status,
            Bundle = s.Bundle,
            Rootfs = s.Rootfs,
            Created = s.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            Owner = s.Owner,
            Annotations = s.Annotations,
            Namespaces = s.Namespaces,
        };
    }

    private static int Kill(StateStore store, ParsedArgs a)
    {
        string sig = a.Positionals.Count > 1 ? a.Positionals[1] : "SIGTERM";
        int signal;
        try { signal = Signals.Parse(sig); }
        catch (SpecException e) { throw new RuncsException(e.Message); }
        KillOperation.Run(store, a.Positionals[0], signal, a.GetBool("all"));
        return 0;
    }

    private static int Exec(StateStore store, ParsedArgs a)
    {
        var id = a.Positionals[0];
        var processFile = a.GetString("process");
        if (string.IsNullOrEmpty(processFile) && a.Positionals.Count < 2)
            throw new RuncsException("exec: no command given (args or --process)");
        // Read once the C stage is on its way into the container (see ExecOperation).
        OciRuntime.Spec.Process LoadProcess(ContainerState state)
        {
            if (!string.IsNullOrEmpty(processFile))
            {
                string text;
                try { text = processFile == "-" ? Console.In.ReadToEnd() : File.ReadAllText(processFile); }
                catch (IOException e) { throw new RuncsException($"--process: {e.Message}"); }
                OciRuntime.Spec.Process process;
                try { process = SpecJson.ParseProcess(text); }
                catch (SpecException e) { throw new RuncsException(e.Message); }
                if (process.Args == null || process.Args.Count == 0) throw new RuncsException("process.args: must not be empty");
                return process;
            }
            var config = Native.Sys.TryReadFile(store.ConfigFile(id)) ?? throw new RuncsException($"container {id}: config.json is missing from its state");
            var spec = SpecJson.ParseSpec(config);
            return ExecOperation.BuildProcess(spec, a.Positionals.Skip(1).ToList(), a.GetBool("tty"), a.GetString("cwd"),
                a.GetStrings("env"), a.GetString("user"), a.GetStrings("additional-gids"), a.GetStrings("cap"),
                a.GetBool("no-new-privs"), a.GetString("apparmor"), a.GetString("process-label"));
        }
        return ExecOperation.Run(store, new ExecOperation.Options
        {
            Id = id,
            Process = LoadProcess,
            Detach = a.GetBool("detach"),
            PidFile = a.GetString("pid-file"),
            ConsoleSocket = a.GetString("console-socket"),
            PreserveFds = a.GetInt("preserve-fds"),
            IgnorePaused = a.GetBool("ignore-paused"),
            SubCgroups = Cgroups.CgroupManager.ParseSubCgroups(a.GetStrings("cgroup")),
        });
    }

    /// <summary>`update`: new resource limits from -r FILE (or - for stdin) and/or runc's flags.</summary>
    private static int Update(StateStore store, ParsedArgs a)
    {
        var id = a.Positionals[0];
        using var lk = store.Lock(id);
        var state = store.Load(id);
        if (ContainerStatus.Of(store, state) == ContainerStatus.Stopped) throw new RuncsException("container not running");
        LinuxResources r;
        var file = a.GetString("resources");
        if (!string.IsNullOrEmpty(file))
        {
            string text;
            try { text = file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file); }
            catch (IOException e) { throw new RuncsException($"--resources: {e.Message}"); }
            try { r = SpecJson.ParseResources(text); }
            catch (SpecException e) { throw new RuncsException(e.Message); }
        }
        else r = new LinuxResources();
        long? Size(string flag) => a.Has(flag) ? UnitParser.RamInBytes(a.GetString(flag)!, flag) : null;
        ulong? U(string flag) => a.Has(flag) ? UnitParser.Unsigned(a.GetString(flag)!, flag) : null;
        if (Size("memory") is { } mem) (r.Memory ??= new()).Limit = mem;
        if (Size("memory-swap") is { } swap) (r.Memory ??= new()).Swap = swap;
        if (Size("memory-reservation") is { } res) (r.Memory ??= new()).Reservation = res;
        if (U("cpu-share") is { } sh) (r.Cpu ??= new()).Shares = sh;
        if (U("cpu-period") is { } per) (r.Cpu ??= new()).Period = per;
        if (a.Has("cpu-quota")) (r.Cpu ??= new()).Quota = (long)UnitParser.Signed(a.GetString("cpu-quota")!, "cpu-quota");
        if (U("cpu-rt-period") is { } rp) (r.Cpu ??= new()).RealtimePeriod = rp;
        if (a.Has("cpu-rt-runtime")) (r.Cpu ??= new()).RealtimeRuntime = UnitParser.Signed(a.GetString("cpu-rt-runtime")!, "cpu-rt-runtime");
        if (a.Has("cpuset-cpus")) (r.Cpu ??= new()).Cpus = a.GetString("cpuset-cpus");
        if (a.Has("cpuset-mems")) (r.Cpu ??= new()).Mems = a.GetString("cpuset-mems");
        if (a.Has("pids-limit")) (r.Pids ??= new()).Limit = a.GetInt("pids-limit");
        if (a.Has("blkio-weight")) (r.BlockIO ??= new()).Weight = (ushort)a.GetInt("blkio-weight");
        foreach (var f in new[] { "l3-cache-schema", "mem-bw-schema" })
            if (a.Has(f)) throw new RuncsException($"runcs: update --{f} (Intel RDT) is not supported yet");
        // Device rules given: the container's rules become these (then, as at create, runc's
        // always-allowed devices and the config's linux.devices, which must stay usable).
        var devices = r.Devices != null ? SavedSpec.TryLoad(store, id)?.Linux?.Devices : null;
        var cg = Cgroups.CgroupManager.FromInner(state.CgroupPaths);
        if (r.Devices != null) cg.ApplyDevices(r.Devices, devices);
        cg.Apply(r, devices);
        return 0;
    }

    /// <summary>`events`: runc's JSON lines — stats once (--stats) or every --interval, and "oom" when the OOM killer acts.</summary>
    private static int Events(StateStore store, ParsedArgs a)
    {
        var id = a.Positionals[0];
        var state = store.Load(id);
        if (ContainerStatus.Of(store, state) == ContainerStatus.Stopped) throw new RuncsException("container not running");
        var cg = Cgroups.CgroupManager.FromInner(state.CgroupPaths);
        void Emit(Cgroups.Event e) => StdOut.WriteLine(JsonSerializer.Serialize(e, RuntimeJson.Default.Event));
        if (a.GetBool("stats"))
        {
            Emit(new Cgroups.Event { Type = "stats", Id = id, Data = Cgroups.CgroupStats.Read(cg) });
            return 0;
        }
        var interval = a.GetDuration("interval");
        if (interval <= TimeSpan.Zero) throw new RuncsException("--interval: must be positive");
        ulong ooms = Cgroups.CgroupStats.OomKills(cg);
        var next = DateTime.UtcNow;
        while (ContainerStatus.Of(store, state) != ContainerStatus.Stopped)
        {
            ulong now = Cgroups.CgroupStats.OomKills(cg);
            if (now > ooms) Emit(new Cgroups.Event { Type = "oom", Id = id });
            ooms = now;
            if (DateTime.UtcNow >= next)
            {
                Emit(new Cgroups.Event { Type = "stats", Id = id, Data = Cgroups.CgroupStats.Read(cg) });
                next = DateTime.UtcNow + interval;
            }
            Thread.Sleep(100);
        }
        return 0;
    }

    private static int List(StateStore store, ParsedArgs a)
    {
        var states = new List<StateOutput>();
        foreach (var id in store.Ids())
        {
            try { states.Add(ToOutput(store, store.Load(id))); }
            catch (RuncsException) { /* deleted meanwhile */ }
        }
        if (a.GetBool("quiet"))
        {
            foreach (var s in states) StdOut.WriteLine(s.Id);
            return 0;
        }
        if (a.GetString("format") == "json")
        {
            StdOut.WriteLine(DocumentWriter.StateOutputs(states, indented: false));
            return 0;
        }
        var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
        foreach (var s in states) rows.Add(new[] { s.Id, s.Pid.ToString(), s.Status, s.Bundle, s.Created, s.Owner });
        StdOut.Write(Table(rows));
        return 0;
    }

    /// <summary>Go's tabwriter as runc's list uses it (minwidth 12, padding 3).</summary>
    public static string Table(List<string[]> rows)
    {
        int cols = rows[0].Length;
        var widths = new int[cols];
        foreach (var r in rows) for (int i = 0; i < cols; i++) widths[i] = Math.Max(widths[i], Math.Max(r[i].Length + 3, 12));
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            for (int i = 0; i < cols; i++) sb.Append(i == cols - 1 ? r[i] : r[i].PadRight(widths[i]));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static int Ps(StateStore store, ParsedArgs a)
    {
        var id = a.Positionals[0];
        var state = store.Load(id);
        var pids = ContainerStatus.Of(store, state) == ContainerStatus.Stopped
            ? new List<int>()
            : Cgroups.CgroupManager.FromInner(state.CgroupPaths).Pids();
        if (a.GetString("format") == "json")
        {
            StdOut.WriteLine(pids.Count == 0 && ContainerStatus.Of(store, state) == ContainerStatus.Stopped
                ? "null" : JsonSerializer.Serialize(pids, RuntimeJson.Default.ListInt32));
            return 0;
        }
        var psArgs = a.Positionals.Skip(1).ToList();
        if (psArgs.Count == 0) psArgs.Add("-ef");
        var psi = new System.Diagnostics.ProcessStartInfo("ps") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var x in psArgs) psi.ArgumentList.Add(x);
        using var ps = System.Diagnostics.Process.Start(psi) ?? throw new RuncsException("ps: could not start");
        var output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        var lines = output.Split('\n');
        if (lines.Length == 0) return 0;
        var header = lines[0];
        int pidCol = Array.IndexOf(header.Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidCol < 0) throw new RuncsException("ps: no PID column in ps output");
        var sb = new StringBuilder(header + "\n");
        var set = pids.ToHashSet();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > pidCol && int.TryParse(f[pidCol], out var pid) && set.Contains(pid)) sb.Append(line).Append('\n');
        }
        StdOut.Write(sb.ToString());
        return 0;
    }

    private static int WriteSpec(ParsedArgs a)
    {
        var bundle = a.GetString("bundle");
        var dir = string.IsNullOrEmpty(bundle) ? Directory.GetCurrentDirectory() : bundle;
        var path = Path.Combine(dir, "config.json");
        if (File.Exists(path)) throw new RuncsException("File config.json exists. Remove it first.");
        bool rootless = a.GetBool("rootless");
        var spec = DefaultSpec.Create(rootless, Sys.Geteuid(), GetEgid());
        File.WriteAllText(path, SpecJson.Serialize(spec));
        return 0;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getegid")]
    private static extern uint GetEgid();

    private static int Features()
    {
        var f = new Features
        {
            OciVersionMin = SpecVersion.Min,
            OciVersionMax = SpecVersion.Max,
            Hooks = new List<string> { "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop" },
            MountOptions = Init.MountOptions.KnownNames.ToList(),
            Linux = new LinuxFeatures
            {
                Namespaces = NamespaceTypes.All.ToList(),
                Capabilities = Capabilities.Names.ToList(),
                Cgroup = new CgroupFeatures { V1 = true, V2 = true, Systemd = false, SystemdUser = false, Rdma = false },
                Seccomp = new SeccompFeatures
                {
                    Enabled = true,
                    Actions = Seccomp.SeccompPlan.KnownActions.ToList(),
                    Operators = Seccomp.SeccompPlan.KnownOperators.ToList(),
                    Archs = Seccomp.SeccompPlan.KnownArchs.ToList(),
                    KnownFlags = Seccomp.SeccompPlan.KnownFlags.ToList(),
                    SupportedFlags = Seccomp.SeccompPlan.KnownFlags.ToList(),
                },
                Apparmor = new ApparmorFeatures { Enabled = Init.ProcessAttributes.AppArmorEnabled() },
                Selinux = new SelinuxFeatures { Enabled = Init.ProcessAttributes.SelinuxEnabled() },
                IntelRdt = new IntelRdtFeatures { Enabled = false },
                MountExtensions = new MountExtensionsFeatures { Idmap = new IdmapFeatures { Enabled = true } },
            },
            Annotations = new Dictionary<string, string> { ["org.opencontainers.runc.version"] = Program.Version },
        };
        StdOut.WriteLine(SpecJson.Serialize(f));
        return 0;
    }

}
