using System.Runtime.InteropServices;
using OciRuntime.Spec;
using Runcs.Native;

namespace Runcs.Init;

/// <summary>
/// The last steps before execve, on the thread that will call it: capset,
/// no_new_privs and the signal mask are per thread.
/// </summary>
public static unsafe class ProcessSetup
{
    private const int PR_SET_KEEPCAPS = 8, PR_CAPBSET_DROP = 24, PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47,
        PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /// <summary>
    /// Before "ready": raise every limit to at least the requested values, so that one
    /// the host cannot grant (a hard limit above its own without CAP_SYS_RESOURCE)
    /// fails create, as with runc. The exact values come last (<see cref="ApplyRlimits"/>).
    /// </summary>
    public static void CheckRlimits(List<POSIXRlimit>? rlimits)
    {
        if (rlimits == null) return;
        ulong* cur = stackalloc ulong[2];
        ulong* lim = stackalloc ulong[2];
        foreach (var r in rlimits)
        {
            if (r.Type == null || !Rlimits.Table.TryGetValue(r.Type, out var res))
                throw new RuncsException($"process.rlimits: unknown rlimit type '{r.Type}'");
            if (Sys.Prlimit(0, res, null, cur) < 0) throw SysException.Last($"get rlimit {r.Type}");
            lim[0] = Math.Max(cur[0], r.Soft); lim[1] = Math.Max(cur[1], r.Hard);
            if (lim[0] > lim[1]) lim[0] = lim[1];
            if (Sys.Prlimit(0, res, lim, null) < 0)
                throw SysException.Last($"set rlimit {r.Type} (soft {r.Soft}, hard {r.Hard})");
        }
    }

    /// <summary>The last step before the capability sets and execve: a low RLIMIT_AS must not starve the runtime's own allocations.</summary>
    public static void ApplyRlimits(List<POSIXRlimit>? rlimits)
    {
        if (rlimits == null) return;
        ulong* lim = stackalloc ulong[2];
        for (int i = 0; i < rlimits.Count; i++)
        {
            var r = rlimits[i];
            if (r.Type == null || !Rlimits.Table.TryGetValue(r.Type, out var res))
                throw new RuncsException($"process.rlimits: unknown rlimit type '{r.Type}'");
            lim[0] = r.Soft; lim[1] = r.Hard;
            if (Sys.Prlimit(0, res, lim, null) < 0)
                throw SysException.Last($"set rlimit {r.Type} (soft {r.Soft}, hard {r.Hard})");
        }
    }

    public static void SetOomScoreAdj(int pid, int? adj)
    {
        if (adj == null) return;
        Sys.WriteFile($"/proc/{pid}/oom_score_adj", adj.Value.ToString(), $"set oom_score_adj {adj} for pid {pid}");
    }

    /// <summary>
    /// Bounding set, groups, gid, uid — keeping the permitted capabilities
    /// (PR_SET_KEEPCAPS) so that rlimits and the final capability sets can still be
    /// applied right before execve (<see cref="ApplyCaps"/>).
    /// </summary>
    public static void ApplyUser(User? user, LinuxCapabilities? caps, int lastCap)
    {
        uint uid = user?.Uid ?? 0, gid = user?.Gid ?? 0;
        Sys.Check(Sys.Prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");

        if (caps != null)
        {
            var bounding = ToSet(caps.Bounding, "bounding");
            for (int c = 0; c <= lastCap; c++)
            {
                if ((bounding & (1UL << c)) != 0) continue;
                if (Sys.Prctl(PR_CAPBSET_DROP, (ulong)c, 0, 0, 0) < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (e != Errno.EINVAL) throw new SysException($"drop capability {c} from the bounding set", e);
                }
            }
        }

        var groups = user?.AdditionalGids ?? new List<uint>();
        var g = groups.ToArray();
        fixed (uint* gp = g)
        {
            if (Sys.SetgroupsThisThread(g.Length, gp) < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                // In a user namespace with setgroups denied, an empty list is all one can have.
                if (!(e == Errno.EPERM && g.Length == 0)) throw new SysException("setgroups", e);
            }
        }
        Sys.Check(Sys.SetresgidThisThread(gid, gid, gid), $"setresgid to {gid}");
        Sys.Check(Sys.SetresuidThisThread(uid, uid, uid), $"setresuid to {uid}");
        // A non-root uid loses the effective set: take back what is still permitted
        // (raising an rlimit's hard limit needs CAP_SYS_RESOURCE).
        uint* header = stackalloc uint[2];
        header[0] = 0x20080522; header[1] = 0;
        uint* data = stackalloc uint[6];
        if (Sys.Syscall(Sys.SYS_capget, (long)header, (long)data, 0, 0, 0) == 0)
        {
            data[0] = data[1]; data[3] = data[4];
            Sys.Syscall(Sys.SYS_capset, (long)header, (long)data, 0, 0, 0);
            // The final sets are applied after start; one the host cannot grant must fail create
            // here, as runc's does ("unable to apply caps"), not kill the container after start.
            CheckGrantable(caps, data[1] | ((ulong)data[4] << 32));
        }
    }

    /// <summary>Every effective and permitted capability asked for must be in <paramref name="permittedNow"/>.</summary>
    public static void CheckGrantable(LinuxCapabilities? caps, ulong permittedNow)
    {
        if (caps == null) return;
        foreach (var (set, names) in new[] { ("permitted", caps.Permitted), ("effective", caps.Effective) })
            foreach (var name in names ?? EmptyNames)
                if ((permittedNow & (1UL << CapNumber(name, set))) == 0)
                    throw new RuncsException($"unable to apply caps: process.capabilities.{set}: {name}: operation not permitted (this host does not grant it to the runtime)");
    }

    /// <summary>The final capability sets (and ambient); no managed allocation happens here.</summary>
    public static void ApplyCaps(LinuxCapabilities? caps)
    {
        Sys.Check(Sys.Prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_SET_KEEPCAPS, 0)");
        if (caps != null)
        {
            ulong eff = ToSet(caps.Effective, "effective"), perm = ToSet(caps.Permitted, "permitted"),
                inh = ToSet(caps.Inheritable, "inheritable");
            uint* header = stackalloc uint[2];
            header[0] = 0x20080522; header[1] = 0; // _LINUX_CAPABILITY_VERSION_3, this thread
            uint* data = stackalloc uint[6];
            data[0] = (uint)eff; data[1] = (uint)perm; data[2] = (uint)inh;
            data[3] = (uint)(eff >> 32); data[4] = (uint)(perm >> 32); data[5] = (uint)(inh >> 32);
            if (Sys.Syscall(Sys.SYS_capset, (long)header, (long)data, 0, 0, 0) < 0) throw SysException.Last("capset");

            Sys.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
            foreach (var name in caps.Ambient ?? EmptyNames)
            {
                int c = CapNumber(name, "ambient");
                // As runc: a capability missing from permitted or inheritable cannot be
                // ambient; that is not an error.
                Sys.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (ulong)c, 0, 0);
            }
        }
    }

    private static readonly List<string> EmptyNames = new();

    private static int CapNumber(string name, string set)
    {
        if (!Capabilities.All.TryGetValue(name, out var c))
            throw new RuncsException($"process.capabilities.{set}: unknown capability '{name}'");
        return c;
    }

    private static ulong ToSet(List<string>? names, string set)
    {
        ulong mask = 0;
        if (names == null) return mask;
        for (int i = 0; i < names.Count; i++) mask |= 1UL << CapNumber(names[i], set);
        return mask;
    }

    public static void SetNoNewPrivileges(bool on)
    {
        if (on) Sys.Check(Sys.Prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");
    }

    /// <summary>The workload starts with default dispositions and an empty mask, whatever the runtime inherited.</summary>
    public static void ResetSignals()
    {
        for (int sig = 1; sig <= 64; sig++)
        {
            if (sig is 9 or 19 or 32 or 33) continue;
            Sys.Signal(sig, 0 /* SIG_DFL */);
        }
        ulong* empty = stackalloc ulong[16];
        for (int i = 0; i < 16; i++) empty[i] = 0;
        Sys.Sigprocmask(2 /* SIG_SETMASK */, empty, null);
    }

    /// <summary>Finds the program as execvp would, with the container's PATH; runc's wording on failure.</summary>
    public static string ResolveExecutable(string arg0, List<string> env)
    {
        if (arg0.Contains('/'))
        {
            if (Sys.StatPath(arg0, out var st) < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                throw new RuncsException($"exec: \"{arg0}\": stat {arg0}: {Strerror(e)}");
            }
            if (Sys.IsDir(st.Mode)) throw new RuncsException($"exec: \"{arg0}\": is a directory");
            if ((st.Mode & 0x49) == 0) throw new RuncsException($"exec: \"{arg0}\": permission denied");
            return arg0;
        }
        string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var kv in env) if (kv.StartsWith("PATH=")) path = kv[5..];
        foreach (var dir in path.Split(':'))
        {
            var candidate = (dir.Length == 0 ? "." : dir) + "/" + arg0;
            if (Sys.StatPath(candidate, out var st) == 0 && Sys.IsRegular(st.Mode) && (st.Mode & 0x49) != 0)
                return candidate;
        }
        throw new RuncsException($"exec: \"{arg0}\": executable file not found in $PATH");
    }

    public static string Strerror(int errno) => Errno.Message(errno);

    /// <summary>HOME from the container's /etc/passwd when the environment lacks it (as runc does); "/" otherwise.</summary>
    public static List<string> WithHome(List<string> env, uint uid)
    {
        if (env.Any(e => e.StartsWith("HOME="))) return env;
        string home = "/";
        var passwd = Sys.TryReadFile("/etc/passwd");
        if (passwd != null)
        {
            foreach (var line in passwd.Split('\n'))
            {
                var f = line.Split(':');
                if (f.Length >= 6 && uint.TryParse(f[2], out var u) && u == uid) { home = f[5]; break; }
            }
        }
        return new List<string>(env) { "HOME=" + home };
    }

    /// <summary>execve's arguments in unmanaged memory, made before the limits that could starve the allocator.</summary>
    public sealed class PreparedExec
    {
        public Bootstrap.CStringArray Path { get; init; } = null!;
        public Bootstrap.CStringArray Argv { get; init; } = null!;
        public Bootstrap.CStringArray Envp { get; init; } = null!;
        public string Arg0 { get; init; } = "";
    }

    public static PreparedExec PrepareExec(string path, List<string> args, List<string> env) => new()
    {
        Path = new Bootstrap.CStringArray(new List<string> { path }),
        Argv = new Bootstrap.CStringArray(args),
        Envp = new Bootstrap.CStringArray(env),
        Arg0 = args[0],
    };

    public static void Exec(PreparedExec x)
    {
        Sys.Execve(x.Path.Pointers[0], x.Argv.Pointers, x.Envp.Pointers);
        int e = Marshal.GetLastPInvokeError();
        throw new RuncsException($"exec: \"{x.Arg0}\": {Strerror(e)}");
    }
}
