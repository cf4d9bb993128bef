using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>linux.seccomp: actions, errnoRet, argument comparisons, an allow-list profile, exec.</summary>
[Trait("Category", "Integration")]
public sealed class SeccompFidelityTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public SeccompFidelityTests(Runcs rt) => _rt = rt;

    /// <summary>Enough for busybox sh -c (and the runtime's last steps before execve); no mkdir/mkdirat.</summary>
    private static readonly string[] s_allowList =
    (
        "accept accept4 access alarm arch_prctl bind brk capget capset chdir chmod chown clock_getres clock_gettime " +
        "clock_nanosleep clone clone3 close close_range connect copy_file_range dup dup2 dup3 epoll_create epoll_create1 " +
        "epoll_ctl epoll_pwait epoll_wait eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64 " +
        "fallocate fchdir fchmod fchmodat fchown fchownat fcntl fdatasync fgetxattr flistxattr flock fork fstat fstatfs " +
        "fsync ftruncate futex get_robust_list getcpu getcwd getdents getdents64 getegid geteuid getgid getgroups " +
        "getitimer getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid getresuid getrlimit " +
        "getrusage getsid getsockname getsockopt gettid gettimeofday getuid getxattr ioctl kill lchown lgetxattr link " +
        "linkat listen listxattr lseek lstat madvise membarrier memfd_create mmap mprotect mremap msync munmap nanosleep " +
        "newfstatat open openat openat2 pause pipe pipe2 poll ppoll prctl pread64 preadv prlimit64 pselect6 pwrite64 " +
        "pwritev read readlink readlinkat readv recvfrom recvmsg rename renameat renameat2 restart_syscall rseq " +
        "rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait " +
        "sched_getaffinity sched_yield select sendfile sendmsg sendto set_robust_list set_tid_address setgid setgroups " +
        "setitimer setpgid setpriority setresgid setresuid setrlimit setsid setsockopt setuid sigaltstack socket " +
        "socketpair stat statfs statx symlink symlinkat sysinfo tgkill time timer_create timer_delete timer_settime " +
        "times tkill truncate umask uname unlink unlinkat utimensat vfork wait4 waitid write writev personality"
    ).Split(' ');

    private static JsonObject Rule(string action, int? errno, params string[] names)
    {
        var r = new JsonObject { ["names"] = Strings(names), ["action"] = action };
        if (errno != null) r["errnoRet"] = errno.Value;
        return r;
    }

    private static void SetSeccomp(Bundle b, string defaultAction, params JsonObject[] rules) => b.EditConfig(c =>
        c["linux"]!["seccomp"] = new JsonObject
        {
            ["defaultAction"] = defaultAction,
            ["architectures"] = Strings("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
            ["syscalls"] = new JsonArray(rules.Select(r => (JsonNode?)r).ToArray()),
        });

    [Fact]
    public void ErrnoRule_ErrnoRetIsReturned_DefaultErrnoIsEPERM_KillRuleKills()
    {
        using var b = Bundle.Create("sh", "-c",
            "mkdir /tmp/d 2>&1; echo MKDIR_RC=$?; touch /tmp/f && echo TOUCH_OK; rm /tmp/f 2>&1; echo RM_RC=$?;" +
            " mv /tmp/f /tmp/g 2>&1; echo MV_RC=$?; ln -s f /tmp/l && echo LN_OK;" +
            " hostname fid-killed; echo HOSTNAME_RC=$?; echo Seccomp=$(grep '^Seccomp:' /proc/self/status | cut -f2)");
        b.Writable();
        SetSeccomp(b, "SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", 13, "mkdir", "mkdirat"),
            Rule("SCMP_ACT_ERRNO", null, "unlink", "unlinkat"),
            Rule("SCMP_ACT_TRACE", null, "rename", "renameat", "renameat2"), // no tracer: ENOSYS
            Rule("SCMP_ACT_LOG", null, "symlink", "symlinkat"), // allowed (and logged)
            Rule("SCMP_ACT_KILL", null, "sethostname")); // not uname: static busybox calls it at startup

        var r = _rt.RunForeground(b, "secerr").Ok();

        Assert.Contains("mkdir: can't create directory '/tmp/d': Permission denied", r.Stdout);
        Assert.Contains("TOUCH_OK", r.Stdout);
        Assert.Contains("Operation not permitted", r.Stdout);
        Assert.Contains("Function not implemented", r.Stdout);
        Assert.Contains("LN_OK", r.Stdout);
        // Killed by SIGSYS (128 + 31); without the rule it would fail with EPERM (exit 1).
        Assert.Contains("HOSTNAME_RC=159\n", r.Stdout);
        Assert.Contains("Seccomp=2\n", r.Stdout);
        Assert.False(Directory.Exists(b.RootfsPath("tmp/d")));
        Assert.True(File.Exists(b.RootfsPath("tmp/f")), "unlink was denied, the file must still be there");
    }

    /// <summary>SCMP_CMP_EQ on an argument: kill(pid, 0) and personality(PER_LINUX32) are denied, other values are not.</summary>
    [Fact]
    public void ArgumentRule_OnlyTheMatchingValueIsDenied()
    {
        using var b = Bundle.Create("sh", "-c",
            "kill -0 $$ 2>&1 && echo SIG0_OK; kill -CONT $$ && echo CONT_OK; linux32 true 2>&1 && echo L32_OK; linux64 true && echo L64_OK; true");
        var kill = Rule("SCMP_ACT_ERRNO", 13, "kill");
        kill["args"] = new JsonArray(new JsonObject { ["index"] = 1, ["value"] = 0, ["op"] = "SCMP_CMP_EQ" });
        var pers = Rule("SCMP_ACT_ERRNO", null, "personality");
        pers["args"] = new JsonArray(new JsonObject { ["index"] = 0, ["value"] = 8, ["op"] = "SCMP_CMP_EQ" });
        SetSeccomp(b, "SCMP_ACT_ALLOW", kill, pers);

        var r = _rt.RunForeground(b, "secargs").Ok();

        Assert.Contains("can't kill pid 1: Permission denied", r.Stdout);
        Assert.DoesNotContain("SIG0_OK", r.Stdout);
        Assert.Contains("CONT_OK", r.Stdout);
        Assert.Contains("personality(0x8): Operation not permitted", r.Stdout);
        Assert.DoesNotContain("L32_OK", r.Stdout);
        Assert.Contains("L64_OK", r.Stdout);
    }

    /// <summary>
    /// defaultAction ERRNO with an allow list: the shell runs, mkdir (not listed) fails with EPERM.
    /// Without no_new_privs the filter is loaded earlier (it needs CAP_SYS_ADMIN), so the runtime's
    /// own remaining steps must also get by with the list.
    /// </summary>
    [Theory]
    [InlineData(true, null, "Operation not permitted")]
    [InlineData(false, null, "Operation not permitted")]
    [InlineData(true, 5, "Input/output error")] // defaultErrnoRet
    public void DefaultErrno_WithAllowList_ShellRuns_UnlistedSyscallFails(bool nnp, int? defaultErrnoRet, string error)
    {
        using var b = Bundle.Create("sh", "-c",
            "echo hello; echo NNP=$(grep NoNewPrivs /proc/self/status | cut -f2); mkdir /tmp/d 2>&1; echo MKDIR_RC=$?");
        b.Writable();
        b.EditConfig(c => c["process"]!["noNewPrivileges"] = nnp);
        SetSeccomp(b, "SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", null, s_allowList));
        if (defaultErrnoRet != null) b.EditConfig(c => c["linux"]!["seccomp"]!["defaultErrnoRet"] = defaultErrnoRet.Value);

        var r = _rt.RunForeground(b, "secdef").Ok();

        Assert.Contains("hello\n", r.Stdout);
        Assert.Contains($"NNP={(nnp ? 1 : 0)}\n", r.Stdout);
        Assert.Contains("mkdir: can't create directory '/tmp/d': " + error, r.Stdout);
        Assert.Contains("MKDIR_RC=1\n", r.Stdout);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExecdProcess_GetsTheFilterToo(bool nnp)
    {
        using var b = Bundle.Create("sleep", "1000");
        b.Writable();
        b.EditConfig(c => c["process"]!["noNewPrivileges"] = nnp);
        SetSeccomp(b, "SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", 13, "mkdir", "mkdirat"));
        var id = _rt.NewId("secexec");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = _rt.Pid(id);

        var r = _rt.Run("exec", id, "sh", "-c", "grep '^Seccomp:' /proc/self/status; mkdir /tmp/e 2>&1; true");
        var initSeccomp = Proc.StatusField(pid, "Seccomp");
        _rt.Run("delete", "--force", id).Ok();

        Assert.Equal("2", initSeccomp);
        r.Ok();
        Assert.Contains("Seccomp:\t2\n", r.Stdout);
        Assert.Contains("Permission denied", r.Stdout);
        Assert.False(Directory.Exists(b.RootfsPath("tmp/e")));
    }
}
