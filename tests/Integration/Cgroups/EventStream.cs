using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Cgroups;

/// <summary>
/// A streaming <c>RUNTIME --root R events [ARGS] ID</c>: its stdout lines are collected as they
/// come, so a test can wait for the first one (the runtime is watching) and later look for others.
/// Dispose kills the runtime if it still runs.
/// </summary>
internal sealed class EventStream : IDisposable
{
    private readonly Process _p;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly System.Text.StringBuilder _err = new();

    public EventStream(Runcs rt, string id, params string[] args)
    {
        var psi = new ProcessStartInfo(rt.Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in (string[])["--root", rt.Root, "events", .. args, id]) psi.ArgumentList.Add(a);
        _p = Process.Start(psi)!;
        _p.StandardInput.Close();
        _p.OutputDataReceived += (_, e) => { if (e.Data != null) _lines.Enqueue(e.Data); };
        _p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_err) _err.AppendLine(e.Data); };
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();
    }

    /// <summary>Every stdout line so far.</summary>
    public string[] Lines => _lines.ToArray();

    /// <summary>Every stdout line parsed as a JSON object (fails the test on a line that is not one).</summary>
    public List<JsonObject> Events => Lines.Select(l =>
    {
        try { return JsonNode.Parse(l)!.AsObject(); }
        catch (System.Text.Json.JsonException) { throw new Xunit.Sdk.XunitException($"events printed a line that is not a JSON object: {l}"); }
    }).ToList();

    public string Stderr { get { lock (_err) return _err.ToString(); } }

    /// <summary>Waits for the runtime to exit (true) within the safety net.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_p.WaitForExit(timeout)) return false;
        _p.WaitForExit(); // drains the async readers
        return true;
    }

    public int ExitCode => _p.ExitCode;

    public override string ToString() => $"events stdout:\n{string.Join('\n', Lines)}\nstderr:\n{Stderr}";

    public void Dispose()
    {
        try { if (!_p.HasExited) _p.Kill(); } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}
