using Runcs.Native;

namespace Runcs.Container;

/// <summary>Facts about a process from /proc/PID/stat.</summary>
public static class ProcInfo
{
    /// <summary>(state char, start time in clock ticks) from /proc/PID/stat, or null when it has gone.</summary>
    public static (char State, ulong StartTime)? Stat(int pid)
    {
        var text = Sys.TryReadFile($"/proc/{pid}/stat");
        return text == null ? null : ParseStat(text);
    }

    /// <summary>Pure: fields 3 (state) and 22 (starttime); the command name (field 2) may contain spaces and ')'.</summary>
    public static (char State, ulong StartTime)? ParseStat(string text)
    {
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length) return null;
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field 22 is fields[19].
        if (fields.Length < 20 || fields[0].Length == 0) return null;
        if (!ulong.TryParse(fields[19], out var start)) return null;
        return (fields[0][0], start);
    }

    /// <summary>The wait status of a zombie (field 52 of /proc/PID/stat), or -1.</summary>
    public static int ExitCode(int pid)
    {
        var text = Sys.TryReadFile($"/proc/{pid}/stat");
        if (text == null) return -1;
        int close = text.LastIndexOf(')');
        var fields = text[(close + 2)..].Split(' ');
        return fields.Length >= 50 && int.TryParse(fields[49].Trim(), out var c) ? c : -1;
    }

    /// <summary>True while pid is the same process (start time matches) and has not exited (zombie counts as exited).</summary>
    public static bool IsAlive(int pid, ulong startTime)
    {
        if (pid <= 0) return false;
        var st = Stat(pid);
        return st != null && st.Value.StartTime == startTime && st.Value.State != 'Z' && st.Value.State != 'X';
    }
}
