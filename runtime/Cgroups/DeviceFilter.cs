using System.Runtime.InteropServices;
using System.Text;
using Runcs.Native;

namespace Runcs.Cgroups;

/// <summary>
/// Puts a device program (<see cref="DeviceFilterProgram"/>) on a cgroup v2 directory in place of
/// the ones there, as runc does: load it, attach it with BPF_F_ALLOW_MULTI, then detach every
/// program that was attached before (found with BPF_PROG_QUERY). The cgroup is never without a
/// filter meanwhile; while both are attached a device must pass both. Programs attached to a
/// cgroup go away with it (rmdir), so delete has nothing to undo.
/// </summary>
public static unsafe class DeviceFilter
{
    // include/uapi/linux/bpf.h
    private const int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_DETACH = 9, BPF_PROG_GET_FD_BY_ID = 13, BPF_PROG_QUERY = 16;
    private const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;
    /// <summary>union bpf_attr is passed zero-filled at this size: a kernel that knows fewer fields accepts zeros past its own.</summary>
    private const int AttrSize = 128;

    public static void Replace(string cgroupDir, byte[] insns)
    {
        int dirFd = Sys.Open(cgroupDir, Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
        if (dirFd < 0) throw SysException.Last($"open cgroup {cgroupDir}");
        try
        {
            var old = Query(dirFd, cgroupDir);
            int prog = Load(insns);
            try { Attach(dirFd, prog, cgroupDir); }
            finally { Sys.Close(prog); }
            foreach (var id in old) Detach(dirFd, id, cgroupDir);
        }
        finally { Sys.Close(dirFd); }
    }

    /// <summary>BPF_PROG_LOAD; when the verifier refuses, the error ends with the last line of its log.</summary>
    public static int Load(byte[] insns)
    {
        const string what = "load device cgroup eBPF program";
        int fd = LoadOnce(insns, null);
        if (fd >= 0) return fd;
        int e = Marshal.GetLastPInvokeError();
        if (e is Errno.EACCES or Errno.EINVAL)
        {
            var log = new byte[64 * 1024];
            int again = LoadOnce(insns, log);
            if (again >= 0) return again; // refused once, then not: keep it
            var last = LastLine(log);
            if (last.Length > 0) throw new RuncsException($"{new SysException(what, e).Message}: verifier: {last}");
        }
        throw new SysException(what, e);
    }

    private static int LoadOnce(byte[] insns, byte[]? log)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        byte* license = stackalloc byte[] { (byte)'A', (byte)'p', (byte)'a', (byte)'c', (byte)'h', (byte)'e', 0 };
        fixed (byte* code = insns)
        fixed (byte* logBuf = log)
        {
            *(uint*)(attr + 0) = BPF_PROG_TYPE_CGROUP_DEVICE;    // prog_type
            *(uint*)(attr + 4) = (uint)(insns.Length / 8);       // insn_cnt
            *(ulong*)(attr + 8) = (ulong)code;                   // insns
            *(ulong*)(attr + 16) = (ulong)license;               // license
            if (log != null)
            {
                *(uint*)(attr + 24) = 1;                         // log_level
                *(uint*)(attr + 28) = (uint)log.Length;          // log_size
                *(ulong*)(attr + 32) = (ulong)logBuf;            // log_buf
            }
            Encoding.ASCII.GetBytes("runcs_devices", new Span<byte>(attr + 48, 15)); // prog_name (NUL-terminated: 16 bytes)
            return Sys.Bpf(BPF_PROG_LOAD, attr, AttrSize);
        }
    }

    private static string LastLine(byte[] log)
    {
        int n = Array.IndexOf(log, (byte)0);
        var text = Encoding.UTF8.GetString(log, 0, n < 0 ? log.Length : n);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    /// <summary>The ids of the device programs attached to this very cgroup (not its ancestors').</summary>
    public static List<uint> Query(int dirFd, string cgroupDir)
    {
        uint capacity = 64;
        byte* attr = stackalloc byte[AttrSize];
        for (int attempt = 0; ; attempt++)
        {
            var ids = new uint[capacity];
            new Span<byte>(attr, AttrSize).Clear();
            fixed (uint* p = ids)
            {
                *(uint*)(attr + 0) = (uint)dirFd;                // target_fd
                *(uint*)(attr + 4) = BPF_CGROUP_DEVICE;          // attach_type
                *(ulong*)(attr + 16) = (ulong)p;                 // prog_ids
                *(uint*)(attr + 24) = capacity;                  // prog_cnt: in, the room; out, how many
                int rc = Sys.Bpf(BPF_PROG_QUERY, attr, AttrSize);
                uint count = *(uint*)(attr + 24);
                if (rc == 0) return ids.Take((int)Math.Min(count, capacity)).ToList();
                int e = Marshal.GetLastPInvokeError();
                if (e != Errno.ENOSPC || attempt >= 10) throw new SysException($"query device cgroup eBPF programs of {cgroupDir}", e);
                capacity = Math.Max(count, capacity * 2);      // more than there was room for: again, bigger
            }
        }
    }

    private static void Attach(int dirFd, int prog, string cgroupDir)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)dirFd;                        // target_fd
        *(uint*)(attr + 4) = (uint)prog;                         // attach_bpf_fd
        *(uint*)(attr + 8) = BPF_CGROUP_DEVICE;                  // attach_type
        *(uint*)(attr + 12) = BPF_F_ALLOW_MULTI;                 // attach_flags
        if (Sys.Bpf(BPF_PROG_ATTACH, attr, AttrSize) < 0)
            throw SysException.Last($"attach device cgroup eBPF program to {cgroupDir} (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI)");
    }

    private static void Detach(int dirFd, uint id, string cgroupDir)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = id;                                 // prog_id
        int prog = Sys.Bpf(BPF_PROG_GET_FD_BY_ID, attr, AttrSize);
        if (prog < 0)
        {
            int e = Marshal.GetLastPInvokeError();
            // Gone meanwhile; or, as runc, one a security module keeps from us: it can only deny more.
            if (e is Errno.ENOENT or Errno.EPERM or Errno.EACCES) return;
            throw new SysException($"open old device cgroup eBPF program {id} of {cgroupDir}", e);
        }
        try
        {
            new Span<byte>(attr, AttrSize).Clear();
            *(uint*)(attr + 0) = (uint)dirFd;                    // target_fd
            *(uint*)(attr + 4) = (uint)prog;                     // attach_bpf_fd
            *(uint*)(attr + 8) = BPF_CGROUP_DEVICE;              // attach_type
            if (Sys.Bpf(BPF_PROG_DETACH, attr, AttrSize) < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e != Errno.ENOENT) throw new SysException($"detach old device cgroup eBPF program {id} from {cgroupDir}", e);
            }
        }
        finally { Sys.Close(prog); }
    }
}
