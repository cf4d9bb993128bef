using System.Runtime.InteropServices;
using System.Text;
using OciRuntime.Spec;
using Runcs.Bootstrap;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// Runs OCI hooks: each hook's program with its args and env, the container's
/// state JSON on stdin, and its timeout. A hook that fails (non-zero, killed or
/// timed out) is an error naming the hook kind and path.
/// </summary>
public static unsafe partial class HookRunner
{
    public static string StateJson(string id, string status, int pid, string bundle, Dictionary<string, string>? annotations)
    {
        var state = new State { OciVersion = SpecVersion.Default, Id = id, Status = status, Pid = pid, Bundle = bundle, Annotations = annotations };
        return SpecJson.Serialize(state);
    }

    public static void RunAll(string kind, List<Hook>? hooks, string stateJson, string? cwd = null)
    {
        if (hooks == null) return;
        foreach (var h in hooks) Run(kind, h, stateJson, cwd);
    }

    /// <param name="cwd">Where the hook runs: the bundle for hooks in the runtime's namespaces (as runc).</param>
    public static void Run(string kind, Hook hook, string stateJson, string? cwd = null)
    {
        var path = hook.Path ?? throw new RuncsException($"hooks.{kind}: hook without a path");
        var args = hook.Args is { Count: > 0 } ? hook.Args : new List<string> { path };
        // No env in the hook: it inherits the runtime's, as with runc (Go's exec.Cmd with a nil Env).
        var env = hook.Env ?? Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => !k.StartsWith("_RUNCS_")).Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").ToList();

        int* pipe = stackalloc int[2];
        if (Pipe2(pipe, Sys.O_CLOEXEC) < 0) throw SysException.Last($"hooks.{kind}: pipe");
        // The hook's stdout and stderr are captured (as runc does) and shown when it fails.
        int* outPipe = stackalloc int[2];
        if (Pipe2(outPipe, Sys.O_CLOEXEC) < 0) throw SysException.Last($"hooks.{kind}: pipe");
        Sys.Fcntl(outPipe[0], 4 /* F_SETFL */, Sys.O_NONBLOCK);
        var output = new StringBuilder();
        int pid;
        try
        {
            byte* actions = stackalloc byte[256];
            byte* attr = stackalloc byte[512];
            Sys.SpawnActionsInit(actions);
            Sys.SpawnAttrInit(attr);
            Sys.SpawnActionsAddDup2(actions, pipe[0], 0);
            Sys.SpawnActionsAddDup2(actions, outPipe[1], 1);
            Sys.SpawnActionsAddDup2(actions, outPipe[1], 2);
            Sys.SpawnActionsAddClosefrom(actions, 3);
            if (!string.IsNullOrEmpty(cwd)) AddChdir(actions, cwd);
            Sys.SpawnAttrDefaultSignals(attr);
            using var argv = new CStringArray(args);
            using var envp = new CStringArray(env);
            using var p = new CStringArray(new List<string> { path });
            int rc = Sys.PosixSpawn(out pid, p.Pointers[0], actions, attr, argv.Pointers, envp.Pointers);
            Sys.SpawnActionsDestroy(actions);
            Sys.SpawnAttrDestroy(attr);
            if (rc != 0) throw new SysException($"hooks.{kind}: run {path}", rc);
        }
        catch
        {
            Sys.Close(outPipe[0]);
            throw;
        }
        finally
        {
            Sys.Close(pipe[0]);
            Sys.Close(outPipe[1]);
        }
        try
        {
            // A hook that does not read its stdin must not block us: ignore EPIPE.
            var bytes = Encoding.UTF8.GetBytes(stateJson);
            fixed (byte* b = bytes) Sys.Write(pipe[1], b, bytes.Length);
        }
        finally
        {
            Sys.Close(pipe[1]);
        }

        int timeoutMs = hook.Timeout is > 0 ? hook.Timeout.Value * 1000 : -1;
        var started = Environment.TickCount64;
        try
        {
        while (true)
        {
            Drain(outPipe[0], output);
            int r = Sys.Waitpid(pid, out int status, Sys.WNOHANG);
            if (r == pid)
            {
                Drain(outPipe[0], output);
                int code = Launcher.ExitCodeOf(status);
                if (code != 0)
                {
                    var said = output.ToString().Trim().Replace('\n', ' ');
                    throw new RuncsException($"hooks.{kind}: {path} failed: " + ((status & 0x7f) != 0 ? $"killed by signal {status & 0x7f}" : $"exit status {code}")
                        + (said.Length > 0 ? $", output: {said}" : ""));
                }
                return;
            }
            if (r < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR) throw SysException.Last($"hooks.{kind}: wait for {path}");
            if (timeoutMs >= 0 && Environment.TickCount64 - started > timeoutMs)
            {
                Sys.Kill(pid, 9);
                Sys.Waitpid(pid, out _, 0);
                throw new RuncsException($"hooks.{kind}: {path} timed out after {hook.Timeout}s");
            }
            Thread.Sleep(1);
        }
        }
        finally
        {
            Sys.Close(outPipe[0]);
        }
    }

    /// <summary>Reads what is there without blocking, keeping the first 4 KiB.</summary>
    private static void Drain(int fd, StringBuilder into)
    {
        byte* buf = stackalloc byte[4096];
        while (true)
        {
            nint n = Sys.Read(fd, buf, 4096);
            if (n <= 0) return;
            if (into.Length < 4096) into.Append(Encoding.UTF8.GetString(buf, (int)Math.Min(n, 4096 - into.Length)));
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddChdir(void* actions, string path);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);
}
