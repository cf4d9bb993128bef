using System.Collections.Frozen;
using System.Globalization;

namespace OciRuntime.Spec;

/// <summary>Linux (x86_64 numbering) signal names and numbers, as accepted by <c>kill</c>.</summary>
public static class Signals
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigUsr1 = 10;
    public const int SigTerm = 15;
    public const int SigChld = 17;
    public const int SigCont = 18;
    public const int SigStop = 19;
    public const int SigWinch = 28;

    /// <summary>First real-time signal as seen by programs (glibc reserves 32 and 33).</summary>
    public const int SigRtMin = 34;

    /// <summary>Last real-time signal (_NSIG - 1).</summary>
    public const int SigRtMax = 64;

    /// <summary>Canonical names of signals 1..31 (index 0 unused).</summary>
    private static readonly string[] Canonical =
    [
        "",
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>
    /// Standard signal names (SIG prefix, upper case) → number, including the aliases
    /// SIGIOT, SIGCLD, SIGPOLL and SIGUNUSED, plus SIGRTMIN and SIGRTMAX.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Table { get; } = BuildTable();

    private static FrozenDictionary<string, int> BuildTable()
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 1; i < Canonical.Length; i++)
        {
            d[Canonical[i]] = i;
        }

        d["SIGIOT"] = 6;
        d["SIGCLD"] = 17;
        d["SIGPOLL"] = 29;
        d["SIGUNUSED"] = 31;
        d["SIGRTMIN"] = SigRtMin;
        d["SIGRTMAX"] = SigRtMax;
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Parses "KILL", "SIGKILL", "sigkill", "9", "SIGRTMIN", "RTMIN+3", "SIGRTMAX-2" ...
    /// Numbers 0..64 are accepted as is. Throws <see cref="SpecException"/>
    /// <c>unknown signal "FOO"</c> for anything else.
    /// </summary>
    public static int Parse(string signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return TryParse(signal, out int n) ? n : throw new SpecException($"unknown signal \"{signal}\"");
    }

    public static bool TryParse(string? signal, out int number)
    {
        number = 0;
        if (string.IsNullOrEmpty(signal))
        {
            return false;
        }

        if (char.IsAsciiDigit(signal[0]))
        {
            return int.TryParse(signal, NumberStyles.None, CultureInfo.InvariantCulture, out number)
                && number <= SigRtMax;
        }

        string name = signal.ToUpperInvariant();
        if (!name.StartsWith("SIG", StringComparison.Ordinal))
        {
            name = "SIG" + name;
        }

        if (Table.TryGetValue(name, out number))
        {
            return true;
        }

        // SIGRTMIN+n / SIGRTMAX-n
        ReadOnlySpan<char> s = name;
        int baseNumber;
        int sign;
        if (s.StartsWith("SIGRTMIN+", StringComparison.Ordinal))
        {
            (baseNumber, sign) = (SigRtMin, 1);
        }
        else if (s.StartsWith("SIGRTMAX-", StringComparison.Ordinal))
        {
            (baseNumber, sign) = (SigRtMax, -1);
        }
        else
        {
            return false;
        }

        ReadOnlySpan<char> digits = s["SIGRTMIN+".Length..];
        if (digits.IsEmpty || !char.IsAsciiDigit(digits[0])
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int offset)
            || offset > SigRtMax - SigRtMin)
        {
            number = 0;
            return false;
        }

        number = baseNumber + (sign * offset);
        return true;
    }

    /// <summary>
    /// Canonical name of a signal number: "SIGKILL", "SIGRTMIN", "SIGRTMIN+1" .. "SIGRTMIN+15",
    /// "SIGRTMAX-14" .. "SIGRTMAX-1", "SIGRTMAX" (the kill -l convention); "SIG32"/"SIG33"/"SIG0" otherwise.
    /// </summary>
    public static string Name(int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(signal);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signal, SigRtMax);
        if (signal >= 1 && signal < Canonical.Length)
        {
            return Canonical[signal];
        }

        return signal switch
        {
            SigRtMin => "SIGRTMIN",
            SigRtMax => "SIGRTMAX",
            > SigRtMin and <= SigRtMin + 15 => "SIGRTMIN+" + (signal - SigRtMin).ToString(CultureInfo.InvariantCulture),
            > SigRtMin + 15 and < SigRtMax => "SIGRTMAX-" + (SigRtMax - signal).ToString(CultureInfo.InvariantCulture),
            _ => "SIG" + signal.ToString(CultureInfo.InvariantCulture),
        };
    }
}
