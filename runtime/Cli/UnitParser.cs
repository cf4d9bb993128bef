using System.Globalization;
using Runcs.Native;

namespace Runcs.Cli;

/// <summary>Numbers as runc's `update` flags take them: "-1", "1024", "100m", "1.5g" (docker/go-units RAMInBytes).</summary>
public static class UnitParser
{
    public static long RamInBytes(string text, string flag)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "-1") return -1;
        long mult = 1;
        if (t.EndsWith("ib")) t = t[..^2];
        else if (t.EndsWith('b')) t = t[..^1];
        if (t.Length > 0 && "kmgtp".Contains(t[^1]))
        {
            mult = t[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, 't' => 1L << 40, _ => 1L << 50 };
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var v) || v < 0 || !double.IsFinite(v))
            throw new RuncsException($"invalid value \"{text}\" for flag --{flag}: invalid size");
        return (long)(v * mult);
    }

    public static ulong Unsigned(string text, string flag) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new RuncsException($"invalid value \"{text}\" for flag --{flag}: not an unsigned number");

    public static long Signed(string text, string flag) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v
            : throw new RuncsException($"invalid value \"{text}\" for flag --{flag}: not a number");
}
