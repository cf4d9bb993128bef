using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace OciRuntime.Tests.Integration.Support;

/// <summary>Options for one <see cref="Runcs.Run(RunOptions, string[])"/> call. All optional.</summary>
public sealed class RunOptions
{
    /// <summary>Bytes for the runtime's stdin; null means /dev/null.</summary>
    public string? Stdin { get; init; }

    /// <summary>Working directory of the runtime (default: the test's cwd).</summary>
    public string? Cwd { get; init; }

    /// <summary>Environment changes: a null value removes the variable.</summary>
    public IDictionary<string, string?>? Env { get; init; }

    /// <summary>Start from an empty environment (then apply <see cref="Env"/>).</summary>
    public bool ClearEnv { get; init; }

    /// <summary>Do not add <c>--root</c> (e.g. for <c>spec</c>, <c>features</c>, <c>--version</c>).</summary>
    public bool NoRoot { get; init; }

    /// <summary>
    /// Shell text run by /bin/bash just before it execs the runtime (same pid, so the test
    /// process stays the runtime's parent), e.g. <c>exec 7&lt;/etc/hostname;</c> to leak an fd or
    /// <c>trap "" PIPE INT;</c> to start it with ignored signals.
    /// </summary>
    public string? ShellPrefix { get; init; }

    /// <summary>
    /// Words put before the runtime on the exec line (e.g. a perl one-liner that blocks
    /// signals and execs its arguments). They become the parent-side wrapper's argv.
    /// </summary>
    public IReadOnlyList<string>? Wrapper { get; init; }

    /// <summary>Safety net only (never an assertion): the call is killed and the test fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// What one call of the runtime did. Stdout and stderr are files (not pipes), so a container
/// that inherits them (create / run -d without a terminal) never makes the call hang;
/// <see cref="ReadStdout"/> re-reads the file to see what the container wrote later.
/// </summary>
public sealed record RunResult(
    string CommandLine, int ExitCode, string Stdout, string Stderr, int Pid,
    string StdoutPath, string StderrPath)
{
    /// <summary>Re-read the stdout file (the container may have written to it since).</summary>
    public string ReadStdout() => File.ReadAllText(StdoutPath);

    /// <summary>Re-read the stderr file.</summary>
    public string ReadStderr() => File.ReadAllText(StderrPath);

    /// <summary>Non-empty lines of stderr.</summary>
    public string[] StderrLines =>
        Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A readable description for assertion messages.</summary>
    public override string ToString() =>
        $"`{CommandLine}` -> exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Fails the test unless the call exited 0.</summary>
    public RunResult Ok()
    {
        Assert.True(ExitCode == 0, "expected exit 0: " + this);
        return this;
    }

    /// <summary>
    /// Fails the test unless the call exited 1 with exactly one line on stderr containing
    /// <paramref name="contains"/> (if given). Returns that line.
    /// </summary>
    public string FailsWithOneLine(string? contains = null)
    {
        Assert.True(ExitCode == 1, "expected exit 1: " + this);
        Assert.True(StderrLines.Length == 1, "expected exactly one line on stderr: " + this);
        if (contains != null)
            Assert.True(StderrLines[0].Contains(contains, StringComparison.Ordinal),
                $"expected stderr to contain \"{contains}\": " + this);
        return StderrLines[0];
    }
}

/// <summary>
/// Runs a runc-compatible binary (runcs by default, or runc for comparisons) as a black box,
/// with a private state root <c>/run/runcs-test-&lt;random&gt;</c> so tests never see each
/// other's containers.
/// <para>Use it as a class fixture (<c>IClassFixture&lt;Runcs&gt;</c>): one root per test class.
/// Ids made by <see cref="NewId"/> are deleted with <c>delete --force</c> on Dispose, then any
/// container still listed, then the root directory is removed.</para>
/// <example><code>
/// var id = rt.NewId("life");
/// rt.Run("create", "--bundle", b.Dir, id).Ok();
/// Assert.Equal("created", rt.Status(id));
/// </code></example>
/// </summary>
public sealed class Runcs : IDisposable
{
    private readonly ConcurrentQueue<string> _ids = new();
    private readonly string _ioDir;
    private int _seq;

    /// <summary>runcs from <see cref="Paths.RuncsBin"/> with a fresh private root.</summary>
    public Runcs() : this(null, null) { }

    /// <param name="binary">The runtime to drive (default <see cref="Paths.RuncsBin"/>).</param>
    /// <param name="root">State root (default a fresh /run/runcs-test-&lt;random&gt;, not created here).</param>
    /// <remarks>Internal only because an xunit class fixture may have just one public constructor.</remarks>
    internal Runcs(string? binary, string? root = null)
    {
        Binary = binary ?? Paths.RuncsBin;
        Root = root ?? "/run/runcs-test-" + Guid.NewGuid().ToString("N")[..12];
        _ioDir = Path.Combine(Path.GetTempPath(), "runcs-it-io-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_ioDir);
    }

    /// <summary>The binary being driven.</summary>
    public string Binary { get; }

    /// <summary>The <c>--root</c> passed to every call (unless <see cref="RunOptions.NoRoot"/>).</summary>
    public string Root { get; }

    /// <summary>A unique container id (prefix + random), remembered for cleanup.</summary>
    public string NewId(string prefix = "t")
    {
        var id = $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
        _ids.Enqueue(id);
        return id;
    }

    /// <summary>Remember an id made elsewhere so Dispose deletes it.</summary>
    public void Track(string id) => _ids.Enqueue(id);

    /// <summary>Runs <c>BINARY --root ROOT ARGS...</c> with stdin /dev/null.</summary>
    public RunResult Run(params string[] args) => Run(new RunOptions(), args);

    /// <summary>Runs the binary with options (stdin, env, cwd, wrapper, timeout).</summary>
    public RunResult Run(RunOptions o, params string[] args)
    {
        var n = Interlocked.Increment(ref _seq);
        var outPath = Path.Combine(_ioDir, $"{n}.out");
        var errPath = Path.Combine(_ioDir, $"{n}.err");
        var inPath = "/dev/null";
        if (o.Stdin != null)
        {
            inPath = Path.Combine(_ioDir, $"{n}.in");
            File.WriteAllText(inPath, o.Stdin);
        }

        var argv = new List<string>();
        if (o.Wrapper != null) argv.AddRange(o.Wrapper);
        argv.Add(Binary);
        if (!o.NoRoot) { argv.Add("--root"); argv.Add(Root); }
        argv.AddRange(args);

        // bash execs the runtime (same pid: the test process is its parent) with stdio on files.
        var script = $"{o.ShellPrefix} exec \"$@\" <{Quote(inPath)} >{Quote(outPath)} 2>{Quote(errPath)}";
        var psi = new ProcessStartInfo("/bin/bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (o.Cwd != null) psi.WorkingDirectory = o.Cwd;
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("runcs-it");
        foreach (var a in argv) psi.ArgumentList.Add(a);
        if (o.ClearEnv) psi.Environment.Clear();
        if (o.Env != null)
        {
            foreach (var (k, v) in o.Env)
            {
                if (v == null) psi.Environment.Remove(k);
                else psi.Environment[k] = v;
            }
        }

        var cmd = string.Join(' ', argv.Select(a => a.Any(c => c is ' ' or '"' or '\'') || a.Length == 0 ? Quote(a) : a));
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + cmd);
        p.StandardInput.Close();
        var shOut = p.StandardOutput.ReadToEndAsync();
        var shErr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(o.Timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            throw new TimeoutException($"`{cmd}` did not exit within {o.Timeout.TotalSeconds}s (safety net)\n" +
                                       $"stdout: {SafeRead(outPath)}\nstderr: {SafeRead(errPath)}");
        }
        p.WaitForExit();
        var pre = (shOut.Wait(TimeSpan.FromSeconds(5)) ? shOut.Result : "") + (shErr.Wait(TimeSpan.FromSeconds(5)) ? shErr.Result : "");
        return new RunResult(cmd, p.ExitCode, SafeRead(outPath), pre + SafeRead(errPath), p.Id, outPath, errPath);
    }

    /// <summary><c>state ID</c> parsed; fails the test if it does not exit 0.</summary>
    public JsonObject State(string id)
    {
        var r = Run("state", id).Ok();
        return JsonNode.Parse(r.Stdout)?.AsObject() ?? throw new InvalidOperationException("state printed null: " + r);
    }

    /// <summary>The container's status, or null when <c>state</c> says it does not exist.</summary>
    public string? Status(string id)
    {
        var r = Run("state", id);
        if (r.ExitCode != 0)
        {
            Assert.True(r.Stderr.Contains("does not exist", StringComparison.Ordinal), "state failed unexpectedly: " + r);
            return null;
        }
        return JsonNode.Parse(r.Stdout)?["status"]?.GetValue<string>();
    }

    /// <summary>Host pid of the container's init from <c>state</c>.</summary>
    public int Pid(string id) => State(id)["pid"]!.GetValue<int>();

    /// <summary>Deletes tracked and listed containers (<c>delete --force</c>), then the root.</summary>
    public void Dispose()
    {
        var ids = new HashSet<string>(_ids);
        try
        {
            var list = Run(new RunOptions { Timeout = TimeSpan.FromSeconds(20) }, "list", "-q");
            if (list.ExitCode == 0)
                foreach (var l in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    ids.Add(l);
        }
        catch (TimeoutException) { }
        foreach (var id in ids)
        {
            try { Run(new RunOptions { Timeout = TimeSpan.FromSeconds(20) }, "delete", "--force", id); }
            catch (TimeoutException) { }
        }
        try { if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { Directory.Delete(_ioDir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Single-quotes a word for bash.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string SafeRead(string path)
    {
        try { return File.ReadAllText(path); } catch (FileNotFoundException) { return ""; }
    }
}
