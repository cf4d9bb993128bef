using System.Text;

namespace Runcs.Cli;

/// <summary>Values parsed for one flag (shared by all its names).</summary>
internal sealed class FlagValue
{
    public string? Text;            // last value given (String, Int, Duration, Bool "true"/"false")
    public bool Bool;
    public long Int;
    public long DurationNs;
    public readonly List<string> Items = new();   // slices (Int64Slice: as given, validated)
    public readonly List<long> Int64Items = new();
}

/// <summary>
/// Reimplementation of Go's flag.FlagSet parsing (go1.19), the urfave/cli v1.22.6+ argument
/// reordering (reorderArgs/argIsFlag) and normalizeFlags, with their exact error messages.
/// </summary>
internal static class GoFlag
{
    /// <summary>Thrown internally for flag errors; the message is the Go error text.</summary>
    internal sealed class FlagError : Exception
    {
        public FlagError(string message)
            : base(message)
        {
        }
    }

    /// <summary>
    /// flag.FlagSet.Parse: parses flags from the start of <paramref name="args"/> and returns the
    /// remaining (positional) arguments. Stops at the first non-flag, or after a "--" (consumed).
    /// On error, throws <see cref="FlagError"/>; <paramref name="visited"/> and
    /// <paramref name="values"/> hold what was parsed before the error.
    /// </summary>
    public static List<string> Parse(
        IReadOnlyList<FlagSpec> flags,
        IReadOnlyList<string> args,
        Dictionary<FlagSpec, FlagValue> values,
        HashSet<string> visited)
    {
        int i = 0;
        while (i < args.Count)
        {
            string s = args[i];
            if (s.Length < 2 || s[0] != '-')
            {
                break;
            }

            int minuses = 1;
            if (s[1] == '-')
            {
                minuses = 2;
                if (s.Length == 2)
                {
                    i++;
                    break;
                }
            }

            string name = s.Substring(minuses);
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
            {
                throw new FlagError("bad flag syntax: " + s);
            }

            i++;
            bool hasValue = false;
            string value = string.Empty;
            int eq = name.IndexOf('=', 1);
            if (eq > 0)
            {
                value = name.Substring(eq + 1);
                hasValue = true;
                name = name.Substring(0, eq);
            }

            var flag = Lookup(flags, name);
            if (flag is null)
            {
                if (name == "help" || name == "h")
                {
                    throw new FlagError("flag: help requested");
                }

                throw new FlagError("flag provided but not defined: -" + name);
            }

            if (!values.TryGetValue(flag, out var fv))
            {
                fv = new FlagValue();
                values[flag] = fv;
            }

            if (flag.Kind == FlagKind.Bool)
            {
                if (hasValue)
                {
                    if (!TryParseBool(value, out bool b))
                    {
                        throw new FlagError("invalid boolean value " + Quote(value) + " for -" + name + ": parse error");
                    }

                    fv.Bool = b;
                }
                else
                {
                    fv.Bool = true;
                }

                fv.Text = fv.Bool ? "true" : "false";
            }
            else
            {
                if (!hasValue && i < args.Count)
                {
                    hasValue = true;
                    value = args[i];
                    i++;
                }

                if (!hasValue)
                {
                    throw new FlagError("flag needs an argument: -" + name);
                }

                string? err = Set(flag, fv, value);
                if (err is not null)
                {
                    throw new FlagError("invalid value " + Quote(value) + " for flag -" + name + ": " + err);
                }
            }

            visited.Add(name);
        }

        var rest = new List<string>(args.Count - i);
        for (; i < args.Count; i++)
        {
            rest.Add(args[i]);
        }

        return rest;
    }

    /// <summary>urfave normalizeFlags: rejects two names of one flag both being used.</summary>
    public static void Normalize(IReadOnlyList<FlagSpec> flags, HashSet<string> visited)
    {
        foreach (var f in flags)
        {
            if (f.Names.Count == 1)
            {
                continue;
            }

            string? first = null;
            foreach (var n in f.Names)
            {
                if (visited.Contains(n))
                {
                    if (first is not null)
                    {
                        throw new FlagError("Cannot use two forms of the same flag: " + n + " " + first);
                    }

                    first = n;
                }
            }
        }
    }

    /// <summary>urfave/cli v1.22.6+ reorderArgs: moves the command's flags (and their values) before the other arguments.</summary>
    public static List<string> Reorder(IReadOnlyList<FlagSpec> flags, IReadOnlyList<string> args)
    {
        var remaining = new List<string>();
        var reordered = new List<string>();
        bool nextMayBeValue = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (nextMayBeValue && !ArgIsFlag(flags, arg))
            {
                nextMayBeValue = false;
                reordered.Add(arg);
            }
            else if (arg == "--")
            {
                remaining.Insert(0, "--");
                for (int j = i + 1; j < args.Count; j++)
                {
                    remaining.Add(args[j]);
                }

                break;
            }
            else if (ArgIsFlag(flags, arg))
            {
                reordered.Add(arg);
                nextMayBeValue = !arg.Contains('=');
            }
            else
            {
                remaining.Add(arg);
            }
        }

        reordered.AddRange(remaining);
        return reordered;
    }

    /// <summary>urfave argIsFlag (including its quirks: "---x" counts as flag "x").</summary>
    public static bool ArgIsFlag(IReadOnlyList<FlagSpec> flags, string arg)
    {
        if (arg == "-" || arg == "--")
        {
            return false;
        }

        if (!arg.StartsWith('-'))
        {
            return false;
        }

        if (arg.StartsWith("--", StringComparison.Ordinal))
        {
            arg = ReplaceFirst(arg, 2);
        }

        if (arg.StartsWith('-'))
        {
            arg = ReplaceFirst(arg, 1);
        }

        int eq = arg.IndexOf('=');
        if (eq >= 0)
        {
            arg = arg.Substring(0, eq);
        }

        return Lookup(flags, arg) is not null;
    }

    public static FlagSpec? Lookup(IReadOnlyList<FlagSpec> flags, string name)
    {
        foreach (var f in flags)
        {
            foreach (var n in f.Names)
            {
                if (n == name)
                {
                    return f;
                }
            }
        }

        return null;
    }

    // strings.Replace(s, "-", "", n)
    private static string ReplaceFirst(string s, int n)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c == '-' && n > 0)
            {
                n--;
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    // flag.Value.Set for non-bool kinds; returns the Go error text or null.
    private static string? Set(FlagSpec flag, FlagValue fv, string value)
    {
        switch (flag.Kind)
        {
            case FlagKind.String:
                fv.Text = value;
                return null;
            case FlagKind.Int:
                {
                    var r = ParseInt(value, 0, out long v);
                    if (r == NumResult.Ok && (v < int.MinValue || v > int.MaxValue))
                    {
                        r = NumResult.Range;
                    }

                    if (r != NumResult.Ok)
                    {
                        return r == NumResult.Range ? "value out of range" : "parse error";
                    }

                    fv.Int = v;
                    fv.Text = value;
                    return null;
                }

            case FlagKind.Duration:
                if (!TryParseDuration(value, out long ns))
                {
                    return "parse error";
                }

                fv.DurationNs = ns;
                fv.Text = value;
                return null;
            case FlagKind.StringSlice:
                fv.Items.Add(value);
                return null;
            case FlagKind.Int64Slice:
                {
                    var r = ParseInt(value, 10, out long v);
                    if (r != NumResult.Ok)
                    {
                        return "strconv.ParseInt: parsing " + Quote(value) + ": " + (r == NumResult.Range ? "value out of range" : "invalid syntax");
                    }

                    fv.Items.Add(value);
                    fv.Int64Items.Add(v);
                    return null;
                }

            default:
                throw new InvalidOperationException("unexpected flag kind " + flag.Kind);
        }
    }

    /// <summary>strconv.ParseBool.</summary>
    public static bool TryParseBool(string s, out bool b)
    {
        switch (s)
        {
            case "1":
            case "t":
            case "T":
            case "TRUE":
            case "true":
            case "True":
                b = true;
                return true;
            case "0":
            case "f":
            case "F":
            case "FALSE":
            case "false":
            case "False":
                b = false;
                return true;
            default:
                b = false;
                return false;
        }
    }

    internal enum NumResult
    {
        Ok,
        Syntax,
        Range,
    }

    /// <summary>strconv.ParseInt(s, base, 64) for base 0 or 10.</summary>
    public static NumResult ParseInt(string s, int numBase, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return NumResult.Syntax;
        }

        bool neg = false;
        string u = s;
        if (u[0] == '+' || u[0] == '-')
        {
            neg = u[0] == '-';
            u = u.Substring(1);
        }

        var r = ParseUint(u, numBase, out ulong un);
        if (r == NumResult.Syntax)
        {
            return r;
        }

        const ulong cutoff = 1UL << 63;
        if (r == NumResult.Range || (!neg && un >= cutoff) || (neg && un > cutoff))
        {
            return NumResult.Range;
        }

        value = neg ? (long)(0UL - un) : (long)un;
        return NumResult.Ok;
    }

    private static NumResult ParseUint(string s0, int numBase, out ulong n)
    {
        n = 0;
        if (s0.Length == 0)
        {
            return NumResult.Syntax;
        }

        bool base0 = numBase == 0;
        string s = s0;
        if (base0)
        {
            numBase = 10;
            if (s[0] == '0')
            {
                char l = s.Length >= 3 ? char.ToLowerInvariant(s[1]) : '\0';
                if (s.Length >= 3 && l == 'b')
                {
                    numBase = 2;
                    s = s.Substring(2);
                }
                else if (s.Length >= 3 && l == 'o')
                {
                    numBase = 8;
                    s = s.Substring(2);
                }
                else if (s.Length >= 3 && l == 'x')
                {
                    numBase = 16;
                    s = s.Substring(2);
                }
                else
                {
                    numBase = 8;
                    s = s.Substring(1);
                }
            }
        }

        ulong cutoff = (ulong.MaxValue / (ulong)numBase) + 1;
        bool underscores = false;
        foreach (char c in s)
        {
            int d;
            if (c == '_' && base0)
            {
                underscores = true;
                continue;
            }
            else if (c >= '0' && c <= '9')
            {
                d = c - '0';
            }
            else if (char.ToLowerInvariant(c) >= 'a' && char.ToLowerInvariant(c) <= 'z')
            {
                d = char.ToLowerInvariant(c) - 'a' + 10;
            }
            else
            {
                return NumResult.Syntax;
            }

            if (d >= numBase)
            {
                return NumResult.Syntax;
            }

            if (n >= cutoff)
            {
                n = ulong.MaxValue;
                return NumResult.Range;
            }

            n *= (ulong)numBase;
            ulong n1 = n + (ulong)d;
            if (n1 < n)
            {
                n = ulong.MaxValue;
                return NumResult.Range;
            }

            n = n1;
        }

        if (underscores && !UnderscoreOk(s0))
        {
            return NumResult.Syntax;
        }

        return NumResult.Ok;
    }

    private static bool UnderscoreOk(string s)
    {
        char saw = '^';
        int i = 0;
        if (s.Length >= 1 && (s[0] == '-' || s[0] == '+'))
        {
            s = s.Substring(1);
        }

        bool hex = false;
        if (s.Length >= 2 && s[0] == '0')
        {
            char l = char.ToLowerInvariant(s[1]);
            if (l == 'b' || l == 'o' || l == 'x')
            {
                i = 2;
                saw = '0';
                hex = l == 'x';
            }
        }

        for (; i < s.Length; i++)
        {
            char c = s[i];
            char lc = char.ToLowerInvariant(c);
            if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f'))
            {
                saw = '0';
                continue;
            }

            if (c == '_')
            {
                if (saw != '0')
                {
                    return false;
                }

                saw = '_';
                continue;
            }

            if (saw == '_')
            {
                return false;
            }

            saw = '!';
        }

        return saw != '_';
    }

    /// <summary>time.ParseDuration; result in nanoseconds.</summary>
    public static bool TryParseDuration(string s, out long ns)
    {
        ns = 0;
        ulong d = 0;
        bool neg = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            neg = s[0] == '-';
            s = s.Substring(1);
        }

        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        const ulong max = 1UL << 63;
        while (s.Length > 0)
        {
            ulong v = 0;
            ulong f = 0;
            double scale = 1;
            if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
            {
                return false;
            }

            int pl = s.Length;
            int k = 0;
            for (; k < s.Length && s[k] >= '0' && s[k] <= '9'; k++)
            {
                if (v > max / 10)
                {
                    return false;
                }

                v = (v * 10) + (ulong)(s[k] - '0');
                if (v > max)
                {
                    return false;
                }
            }

            s = s.Substring(k);
            bool pre = pl != s.Length;
            bool post = false;
            if (s.Length > 0 && s[0] == '.')
            {
                s = s.Substring(1);
                pl = s.Length;
                bool overflow = false;
                k = 0;
                for (; k < s.Length && s[k] >= '0' && s[k] <= '9'; k++)
                {
                    if (overflow)
                    {
                        continue;
                    }

                    if (f > (max - 1) / 10)
                    {
                        overflow = true;
                        continue;
                    }

                    ulong y = (f * 10) + (ulong)(s[k] - '0');
                    if (y > max)
                    {
                        overflow = true;
                        continue;
                    }

                    f = y;
                    scale *= 10;
                }

                s = s.Substring(k);
                post = pl != s.Length;
            }

            if (!pre && !post)
            {
                return false;
            }

            int ui = 0;
            for (; ui < s.Length; ui++)
            {
                char c = s[ui];
                if (c == '.' || (c >= '0' && c <= '9'))
                {
                    break;
                }
            }

            if (ui == 0)
            {
                return false;
            }

            string unitName = s.Substring(0, ui);
            s = s.Substring(ui);
            ulong unit;
            switch (unitName)
            {
                case "ns": unit = 1; break;
                case "us": unit = 1_000; break;
                case "\u00b5s": unit = 1_000; break;
                case "\u03bcs": unit = 1_000; break;
                case "ms": unit = 1_000_000; break;
                case "s": unit = 1_000_000_000; break;
                case "m": unit = 60UL * 1_000_000_000; break;
                case "h": unit = 3600UL * 1_000_000_000; break;
                default: return false;
            }

            if (v > max / unit)
            {
                return false;
            }

            v *= unit;
            if (f > 0)
            {
                v += (ulong)((double)f * ((double)unit / scale));
                if (v > max)
                {
                    return false;
                }
            }

            d += v;
            if (d > max)
            {
                return false;
            }
        }

        if (neg)
        {
            ns = (long)(0UL - d);
            return true;
        }

        if (d > max - 1)
        {
            return false;
        }

        ns = (long)d;
        return true;
    }

    /// <summary>strconv.Quote (for the strings a C# string can hold).</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }

            if (c < 0x20 || c == 0x7f)
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c) || char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        sb.Append('"');
        return sb.ToString();
    }
}
