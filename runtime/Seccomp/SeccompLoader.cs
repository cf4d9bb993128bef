using System.Runtime.InteropServices;
using Runcs.Native;

namespace Runcs.Seccomp;

/// <summary>
/// Loads a <see cref="SeccompPlan"/> into this thread through libseccomp
/// (libseccomp.so.2, loaded only when a container has a seccomp section).
/// </summary>
public static unsafe partial class SeccompLoader
{
    private const string Lib = "libseccomp.so.2";
    private const int AttrCtlNnp = 3, AttrCtlTsync = 4, AttrCtlLog = 6, AttrCtlSsb = 7, AttrCtlWaitKill = 10;

    [StructLayout(LayoutKind.Sequential)]
    private struct ArgCmp { public uint Arg; public int Op; public ulong DatumA; public ulong DatumB; }

    [LibraryImport(Lib, EntryPoint = "seccomp_init")] private static partial nint Init(uint defAction);
    [LibraryImport(Lib, EntryPoint = "seccomp_release")] private static partial void Release(nint ctx);
    [LibraryImport(Lib, EntryPoint = "seccomp_arch_add")] private static partial int ArchAdd(nint ctx, uint arch);
    [LibraryImport(Lib, EntryPoint = "seccomp_arch_native")] private static partial uint ArchNative();
    [LibraryImport(Lib, EntryPoint = "seccomp_arch_resolve_name", StringMarshalling = StringMarshalling.Utf8)] private static partial uint ArchResolve(string name);
    [LibraryImport(Lib, EntryPoint = "seccomp_syscall_resolve_name", StringMarshalling = StringMarshalling.Utf8)] private static partial int SyscallResolve(string name);
    [LibraryImport(Lib, EntryPoint = "seccomp_rule_add_array")] private static partial int RuleAddArray(nint ctx, uint action, int syscall, uint count, ArgCmp* args);
    [LibraryImport(Lib, EntryPoint = "seccomp_attr_set")] private static partial int AttrSet(nint ctx, int attr, uint value);
    [LibraryImport(Lib, EntryPoint = "seccomp_load")] private static partial int LoadCtx(nint ctx);
    [LibraryImport(Lib, EntryPoint = "seccomp_notify_fd")] private static partial int NotifyFd(nint ctx);
    [LibraryImport(Lib, EntryPoint = "seccomp_api_get")] private static partial uint ApiGet();

    /// <summary>Loads libseccomp while the host's root is still "/" (init pivots into the container's later).</summary>
    public static void Preload()
    {
        try { ArchNative(); }
        catch (DllNotFoundException) { throw new RuncsException("seccomp: libseccomp.so.2 is not installed"); }
    }

    /// <summary>Builds and loads the filter now; returns its listener fd (SCMP_ACT_NOTIFY rules) or -1.</summary>
    public static int LoadFilter(SeccompPlan plan) => Load(Prepare(plan));

    /// <summary>
    /// Loads a prepared filter into this thread and releases it (no allocation). Returns the
    /// listener fd the kernel made for SCMP_ACT_NOTIFY rules (SECCOMP_FILTER_FLAG_NEW_LISTENER,
    /// close-on-exec), or -1 when the filter has none; reading it makes no system call.
    /// </summary>
    public static int Load(nint ctx)
    {
        int load = LoadCtx(ctx);
        int listener = load < 0 ? -1 : NotifyFd(ctx);
        Release(ctx);
        if (load < 0) throw new SysException("seccomp: load the filter", -load);
        return listener >= 0 ? listener : -1;
    }

    /// <summary>Builds the filter (libseccomp context) without loading it.</summary>
    public static nint Prepare(SeccompPlan plan)
    {
        nint ctx;
        try { ctx = Init(plan.DefaultAction); }
        catch (DllNotFoundException) { throw new RuncsException("seccomp: libseccomp.so.2 is not installed"); }
        if (ctx == 0) throw new RuncsException("seccomp: seccomp_init failed");
        // As runc: notifications need the seccomp(2) user notification API (libseccomp API level 6).
        uint api = plan.UsesNotify ? ApiGet() : 6;
        if (api < 6)
        {
            Release(ctx);
            throw new RuncsException($"seccomp notify unsupported: API level: got {api}, want at least 6. Please try with libseccomp >= 2.5.0 and Linux >= 5.7");
        }
        try
        {
            // libseccomp sets no_new_privs itself unless told not to; runcs sets it only when asked.
            Check(AttrSet(ctx, AttrCtlNnp, 0), "disable implicit no_new_privs");
            if (plan.Log) Check(AttrSet(ctx, AttrCtlLog, 1), "set SECCOMP_FILTER_FLAG_LOG");
            if (plan.SpecAllow) Check(AttrSet(ctx, AttrCtlSsb, 1), "set SECCOMP_FILTER_FLAG_SPEC_ALLOW");
            if (plan.WaitKillableRecv) Check(AttrSet(ctx, AttrCtlWaitKill, 1), "set SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
            uint native = ArchNative();
            foreach (var a in plan.Architectures)
            {
                uint token = ArchResolve(a);
                if (token == 0) throw new RuncsException($"linux.seccomp.architectures: unknown architecture '{a}'");
                if (token == native) continue;
                int rc = ArchAdd(ctx, token);
                if (rc < 0 && rc != -Errno.EEXIST) Check(rc, $"add architecture {a}");
            }
            var conds = new ArgCmp[6];
            foreach (var rule in plan.Rules)
            {
                int nr = SyscallResolve(rule.Syscall);
                if (nr == -1) continue; // unknown on this kernel/arch: skipped, as runc does
                int n = rule.Conditions.Count;
                for (int i = 0; i < n; i++)
                {
                    var c = rule.Conditions[i];
                    conds[i] = new ArgCmp { Arg = c.Index, Op = c.Op, DatumA = c.Value, DatumB = c.ValueTwo };
                }
                fixed (ArgCmp* p = conds)
                {
                    int rc = RuleAddArray(ctx, rule.Action, nr, (uint)n, p);
                    if (rc < 0) throw new SysException($"seccomp: add rule for {rule.Syscall}", -rc);
                }
            }
            return ctx;
        }
        catch
        {
            Release(ctx);
            throw;
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc < 0) throw new SysException($"seccomp: {what}", -rc);
    }
}
