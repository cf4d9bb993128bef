using System.Runtime.InteropServices;
using OciRuntime.Spec;
using Runcs.Native;

namespace Runcs.Init;

/// <summary>
/// The process attributes beyond user and capabilities: personality, I/O priority,
/// scheduler, CPU affinity, AppArmor and SELinux labels. Parsing is pure; the
/// Apply methods make the syscalls.
/// </summary>
public static unsafe partial class ProcessAttributes
{
    [LibraryImport("libc", EntryPoint = "personality", SetLastError = true)]
    private static partial int Personality(ulong persona);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetaffinity(int pid, nuint size, ulong* mask);

    private const long SYS_ioprio_set = 251, SYS_sched_setattr = 314;

    public static void ApplyPersonality(LinuxPersonality? p)
    {
        if (p == null) return;
        ulong persona = p.Domain switch
        {
            "LINUX" => 0x0000,
            "LINUX32" => 0x0008,
            _ => throw new RuncsException($"linux.personality.domain: unknown domain '{p.Domain}' (LINUX or LINUX32)"),
        };
        if (Personality(persona) < 0) throw SysException.Last($"set personality {p.Domain}");
    }

    /// <summary>IOPRIO_PRIO_VALUE(class, data) as the kernel packs it.</summary>
    public static int IoPriorityValue(LinuxIOPriority io)
    {
        int cls = io.Class switch
        {
            "IOPRIO_CLASS_RT" => 1,
            "IOPRIO_CLASS_BE" => 2,
            "IOPRIO_CLASS_IDLE" => 3,
            _ => throw new RuncsException($"process.ioPriority.class: unknown class '{io.Class}'"),
        };
        if (io.Priority < 0 || io.Priority > 7) throw new RuncsException($"process.ioPriority.priority: must be 0..7, not {io.Priority}");
        return (cls << 13) | io.Priority;
    }

    public static void ApplyIoPriority(LinuxIOPriority? io)
    {
        if (io == null) return;
        if (Sys.Syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, IoPriorityValue(io), 0, 0) < 0)
            throw SysException.Last($"set I/O priority {io.Class} {io.Priority}");
    }

    public static int SchedulerPolicy(string? policy) => policy switch
    {
        "SCHED_OTHER" => 0, "SCHED_FIFO" => 1, "SCHED_RR" => 2, "SCHED_BATCH" => 3, "SCHED_ISO" => 4,
        "SCHED_IDLE" => 5, "SCHED_DEADLINE" => 6,
        _ => throw new RuncsException($"process.scheduler.policy: unknown policy '{policy}'"),
    };

    public static ulong SchedulerFlags(List<string>? flags)
    {
        ulong f = 0;
        foreach (var name in flags ?? new List<string>())
        {
            f |= name switch
            {
                "SCHED_FLAG_RESET_ON_FORK" => 0x01, "SCHED_FLAG_RECLAIM" => 0x02, "SCHED_FLAG_DL_OVERRUN" => 0x04,
                "SCHED_FLAG_KEEP_POLICY" => 0x08, "SCHED_FLAG_KEEP_PARAMS" => 0x10, "SCHED_FLAG_UTIL_CLAMP_MIN" => 0x20,
                "SCHED_FLAG_UTIL_CLAMP_MAX" => 0x40,
                _ => throw new RuncsException($"process.scheduler.flags: unknown flag '{name}'"),
            };
        }
        return f;
    }

    public static void ApplyScheduler(Scheduler? s)
    {
        if (s == null) return;
        // struct sched_attr (SCHED_ATTR_SIZE_VER0 = 48 bytes)
        byte* attr = stackalloc byte[48];
        new Span<byte>(attr, 48).Clear();
        *(uint*)attr = 48;
        *(uint*)(attr + 4) = (uint)SchedulerPolicy(s.Policy);
        *(ulong*)(attr + 8) = SchedulerFlags(s.Flags);
        *(int*)(attr + 16) = s.Nice ?? 0;
        *(uint*)(attr + 20) = (uint)(s.Priority ?? 0);
        *(ulong*)(attr + 24) = s.Runtime ?? 0;
        *(ulong*)(attr + 32) = s.Deadline ?? 0;
        *(ulong*)(attr + 40) = s.Period ?? 0;
        if (Sys.Syscall(SYS_sched_setattr, 0, (long)attr, 0, 0, 0) < 0)
            throw SysException.Last($"set scheduler {s.Policy}");
    }

    /// <summary>"0-3,5,7-8" → the set CPUs; an error names the field.</summary>
    public static List<int> ParseCpuList(string list, string field)
    {
        var cpus = new List<int>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            if (range.Length > 2 || !int.TryParse(range[0], out int lo) || lo < 0)
                throw new RuncsException($"{field}: invalid CPU list '{list}'");
            int hi = lo;
            if (range.Length == 2 && (!int.TryParse(range[1], out hi) || hi < lo))
                throw new RuncsException($"{field}: invalid CPU list '{list}'");
            if (hi >= 1024) throw new RuncsException($"{field}: CPU {hi} out of range");
            for (int c = lo; c <= hi; c++) cpus.Add(c);
        }
        if (cpus.Count == 0) throw new RuncsException($"{field}: empty CPU list");
        return cpus;
    }

    public static void ApplyAffinity(string? list, string field)
    {
        if (string.IsNullOrEmpty(list)) return;
        ulong* mask = stackalloc ulong[16];
        for (int i = 0; i < 16; i++) mask[i] = 0;
        foreach (var c in ParseCpuList(list, field)) mask[c / 64] |= 1UL << (c % 64);
        if (SchedSetaffinity(0, 128, mask) < 0) throw SysException.Last($"{field}: sched_setaffinity {list}");
    }

    /// <summary>A new network namespace starts with "lo" down; containers expect it up (runc's loopback strategy).</summary>
    public static void BringUpLoopback()
    {
        const int AF_INET = 2, SOCK_DGRAM = 2;
        const ulong SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
        int fd = Sys.CheckFd(Sys.Socket(AF_INET, SOCK_DGRAM | Sys.SOCK_CLOEXEC, 0), "socket to configure lo");
        try
        {
            byte* ifr = stackalloc byte[40];
            new Span<byte>(ifr, 40).Clear();
            ifr[0] = (byte)'l'; ifr[1] = (byte)'o';
            Sys.Check(Sys.Ioctl(fd, SIOCGIFFLAGS, ifr), "get the flags of lo");
            *(short*)(ifr + 16) |= 1; // IFF_UP
            Sys.Check(Sys.Ioctl(fd, SIOCSIFFLAGS, ifr), "bring lo up");
        }
        finally
        {
            Sys.Close(fd);
        }
    }

    public static bool AppArmorEnabled() =>
        Directory.Exists("/sys/kernel/security/apparmor") && (Sys.TryReadFile("/sys/module/apparmor/parameters/enabled")?.Trim() == "Y");

    /// <summary>AppArmor: asked for but not on this host is an error (runc's rule); applied at the next execve.</summary>
    public static void CheckAppArmor(string? profile)
    {
        if (string.IsNullOrEmpty(profile)) return;
        if (!AppArmorEnabled()) throw new RuncsException($"process.apparmorProfile: apparmor is not enabled on this host (profile '{profile}')");
    }

    public static void ApplyAppArmor(string? profile)
    {
        if (string.IsNullOrEmpty(profile)) return;
        var path = File.Exists("/proc/self/attr/apparmor/exec") ? "/proc/self/attr/apparmor/exec" : "/proc/self/attr/exec";
        Sys.WriteFile(path, "exec " + profile, $"set apparmor profile {profile}");
    }

    /// <summary>SELinux is enabled when its filesystem is mounted (as go-selinux checks).</summary>
    public static bool SelinuxEnabled() => File.Exists("/sys/fs/selinux/enforce");

    /// <summary>SELinux labels are applied only where SELinux is enabled; elsewhere ignored, as runc does.</summary>
    public static void ApplySelinux(string? label)
    {
        if (string.IsNullOrEmpty(label) || !SelinuxEnabled()) return;
        Sys.WriteFile("/proc/self/attr/exec", label, $"set SELinux label {label}");
    }
}
