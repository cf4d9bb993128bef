namespace OciRuntime.Tests.Integration.Support;

/// <summary>Host-side reads of /proc and bounded polling.</summary>
public static class Proc
{
    /// <summary>True if <c>/proc/PID</c> exists and the process is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        var s = StatusField(pid, "State");
        return s != null && !s.StartsWith('Z') && !s.StartsWith('X');
    }

    /// <summary>A field of <c>/proc/PID/status</c> (e.g. "PPid", "State"), or null if the process is gone.</summary>
    public static string? StatusField(int pid, string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                    return line[(name.Length + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>Parent pid of PID, or null if it is gone.</summary>
    public static int? PPid(int pid) => StatusField(pid, "PPid") is { } s ? int.Parse(s) : null;

    /// <summary>
    /// Polls <paramref name="condition"/> every 20 ms until it is true or the safety net
    /// (default 10 s) expires; returns the final value. Use for "eventually" states (a killed
    /// container becomes stopped), then assert on the returned value — never on elapsed time.
    /// </summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (condition()) return true;
            if (DateTime.UtcNow > deadline) return condition();
            Thread.Sleep(20);
        }
    }
}
