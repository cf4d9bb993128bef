namespace Runcs.Cli;

/// <summary>runc's global flags (given before the verb).</summary>
public sealed class GlobalOptions
{
    /// <summary>--root; <see cref="VerbTable.DefaultRoot"/> when not given. Not made absolute here.</summary>
    public string Root = VerbTable.DefaultRoot;

    /// <summary>--log; null when not given (runc: log to stderr).</summary>
    public string? Log;

    /// <summary>--log-format: "text" (default; also for an explicit empty value) or "json".</summary>
    public string LogFormat = "text";

    /// <summary>--debug.</summary>
    public bool Debug;

    /// <summary>--systemd-cgroup.</summary>
    public bool SystemdCgroup;

    /// <summary>
    /// --rootless as given ("true"/"false"/"auto" or any Go ParseBool spelling); null when not given
    /// (= "auto"). Not validated here: runc only rejects a bad value when a verb uses it.
    /// </summary>
    public string? Rootless;

    /// <summary>--criu as given; null when not given (runc's default is "criu", found on PATH).</summary>
    public string? Criu;
}

/// <summary>The result of <see cref="CommandLineParser.Parse"/>.</summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<FlagSpec, FlagValue> _values;

    internal ParsedArgs(
        GlobalOptions global,
        VerbSpec? spec,
        bool helpRequested,
        bool versionRequested,
        IReadOnlyList<string> positionals,
        Dictionary<FlagSpec, FlagValue> values)
    {
        Global = global;
        Spec = spec;
        HelpRequested = helpRequested;
        VersionRequested = versionRequested;
        Positionals = new List<string>(positionals).AsReadOnly();
        _values = values;
    }

    public GlobalOptions Global { get; }

    /// <summary>Canonical verb name; null when none was given (or when global --help/--version won).</summary>
    public string? Verb => Spec?.Name;

    /// <summary>The verb's definition; null with <see cref="Verb"/>.</summary>
    public VerbSpec? Spec { get; }

    /// <summary>
    /// Help should be printed instead of running anything: global --help/-h, --help/-h on the
    /// verb, the "help"/"h" verb, or no verb at all (runc then prints the main help, exit 0).
    /// Print <see cref="HelpText.ForVerb"/>(<see cref="Verb"/>) when Verb is set, else <see cref="HelpText.Main()"/>.
    /// </summary>
    public bool HelpRequested { get; }

    /// <summary>Global --version/-v (only when help was not requested too).</summary>
    public bool VersionRequested { get; }

    /// <summary>
    /// Positional arguments after the verb (urfave semantics: for exec and ps everything after
    /// the first positional, verbatim). For init, every argument after "init".
    /// </summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>True when the flag (under any of its names) was given explicitly.</summary>
    public bool Has(string longName) => _values.ContainsKey(Resolve(longName, null));

    /// <summary>String flag: last value given, else its default (null when runc's default is "").</summary>
    public string? GetString(string longName)
    {
        var f = Resolve(longName, FlagKind.String);
        return _values.TryGetValue(f, out var v) ? v.Text : f.Default;
    }

    /// <summary>Bool flag: value given (--x, --x=true, --x=false), else false.</summary>
    public bool GetBool(string longName)
    {
        var f = Resolve(longName, FlagKind.Bool);
        return _values.TryGetValue(f, out var v) && v.Bool;
    }

    /// <summary>Int flag: value given, else its default.</summary>
    public int GetInt(string longName)
    {
        var f = Resolve(longName, FlagKind.Int);
        if (_values.TryGetValue(f, out var v))
        {
            return (int)v.Int;
        }

        GoFlag.ParseInt(f.Default ?? "0", 0, out long d);
        return (int)d;
    }

    /// <summary>Duration flag (events --interval): value given, else its default. Sub-100ns precision is truncated.</summary>
    public TimeSpan GetDuration(string longName)
    {
        var f = Resolve(longName, FlagKind.Duration);
        long ns;
        if (_values.TryGetValue(f, out var v))
        {
            ns = v.DurationNs;
        }
        else
        {
            GoFlag.TryParseDuration(f.Default ?? "0", out ns);
        }

        return TimeSpan.FromTicks(ns / 100);
    }

    /// <summary>Slice flag (string or int64 slice): every value in order (empty when not given).</summary>
    public IReadOnlyList<string> GetStrings(string longName)
    {
        var f = Resolve(longName, FlagKind.StringSlice, FlagKind.Int64Slice);
        return _values.TryGetValue(f, out var v) ? v.Items.ToArray() : Array.Empty<string>();
    }

    /// <summary>Int64 slice flag (exec --additional-gids): every value in order.</summary>
    public IReadOnlyList<long> GetInt64s(string longName)
    {
        var f = Resolve(longName, FlagKind.Int64Slice);
        return _values.TryGetValue(f, out var v) ? v.Int64Items.ToArray() : Array.Empty<long>();
    }

    private FlagSpec Resolve(string longName, FlagKind? kind, FlagKind? kind2 = null)
    {
        ArgumentNullException.ThrowIfNull(longName);
        if (Spec is null)
        {
            throw new InvalidOperationException("no verb was parsed; flag '--" + longName + "' is not available");
        }

        FlagSpec? found = null;
        foreach (var f in Spec.AllFlags)
        {
            if (f.Name == longName)
            {
                found = f;
                break;
            }
        }

        if (found is null)
        {
            throw new InvalidOperationException("verb '" + Spec.Name + "' has no flag '--" + longName + "' (use the long name)");
        }

        if (kind is not null && found.Kind != kind && found.Kind != kind2)
        {
            throw new InvalidOperationException("flag '--" + longName + "' of verb '" + Spec.Name + "' is " + found.Kind + ", not " + kind);
        }

        return found;
    }
}

/// <summary>runc-compatible (urfave/cli v1 + Go flag) command-line parser. Pure: no I/O, no environment.</summary>
public static class CommandLineParser
{
    /// <summary>
    /// Parses argv (without the program name). Throws <see cref="UsageException"/> for flag errors,
    /// an invalid --log-format and unknown verbs. Does not check positional counts: call
    /// <see cref="VerbTable.CheckArity"/> for that.
    /// </summary>
    public static ParsedArgs Parse(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var noValues = new Dictionary<FlagSpec, FlagValue>();

        // runc handles "init" before the cli library when it is the first argument.
        if (argv.Count > 0 && argv[0] == "init")
        {
            return new ParsedArgs(new GlobalOptions(), VerbTable.Find("init"), false, false, Slice(argv, 1), noValues);
        }

        // Global flags: plain Go flag parsing, stopping at the verb.
        var gValues = new Dictionary<FlagSpec, FlagValue>();
        var gVisited = new HashSet<string>(StringComparer.Ordinal);
        List<string>? rest = null;
        string? parseError = null;
        try
        {
            rest = GoFlag.Parse(VerbTable.GlobalFlags, argv, gValues, gVisited);
        }
        catch (GoFlag.FlagError e)
        {
            parseError = e.Message;
        }

        try
        {
            GoFlag.Normalize(VerbTable.GlobalFlags, gVisited);
        }
        catch (GoFlag.FlagError e)
        {
            throw new UsageException(e.Message, UsageErrorKind.GlobalFlagForms, null);
        }

        if (parseError is not null || rest is null)
        {
            throw new UsageException(parseError ?? "flag parse error", UsageErrorKind.GlobalFlag, null);
        }

        var global = BuildGlobal(gValues);
        if (GlobalBool(gValues, "help"))
        {
            return new ParsedArgs(global, null, true, false, rest, noValues);
        }

        if (GlobalBool(gValues, "version"))
        {
            return new ParsedArgs(global, null, false, true, rest, noValues);
        }

        // runc's app.Before (configLogrus) runs before the verb is looked up.
        if (global.LogFormat != "text" && global.LogFormat != "json")
        {
            throw new UsageException("invalid log-format: " + global.LogFormat, UsageErrorKind.Plain, null);
        }

        if (rest.Count == 0)
        {
            return new ParsedArgs(global, null, true, false, rest, noValues);
        }

        string name = rest[0];
        var spec = VerbTable.Find(name) ?? throw NoHelpTopic(name);
        var args = Slice(rest, 1);

        if (spec.SkipFlagParsing)
        {
            return new ParsedArgs(global, spec, false, false, args, noValues);
        }

        var values = new Dictionary<FlagSpec, FlagValue>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        List<string> positionals;
        try
        {
            var ordered = spec.SkipArgReorder ? (IReadOnlyList<string>)args : GoFlag.Reorder(spec.AllFlags, args);
            positionals = GoFlag.Parse(spec.AllFlags, ordered, values, visited);
            GoFlag.Normalize(spec.AllFlags, visited);
        }
        catch (GoFlag.FlagError e)
        {
            throw new UsageException(e.Message, UsageErrorKind.VerbFlag, spec.Name);
        }

        bool help = values.TryGetValue(VerbTable.HelpFlag, out var hv) && hv.Bool;

        if (ReferenceEquals(spec, VerbTable.Help))
        {
            if (help)
            {
                return new ParsedArgs(global, spec, true, false, positionals, values);
            }

            if (positionals.Count == 0)
            {
                return new ParsedArgs(global, null, true, false, positionals, noValues);
            }

            var topic = VerbTable.Find(positionals[0]);
            if (topic is null || topic.Hidden)
            {
                throw NoHelpTopic(positionals[0]);
            }

            return new ParsedArgs(global, topic, true, false, Slice(positionals, 1), noValues);
        }

        return new ParsedArgs(global, spec, help, false, positionals, values);
    }

    private static UsageException NoHelpTopic(string name) =>
        new("No help topic for '" + name + "'", UsageErrorKind.UnknownCommand, null);

    private static GlobalOptions BuildGlobal(Dictionary<FlagSpec, FlagValue> values)
    {
        var g = new GlobalOptions
        {
            Debug = GlobalBool(values, "debug"),
            SystemdCgroup = GlobalBool(values, "systemd-cgroup"),
            Log = GlobalString(values, "log"),
            Rootless = GlobalString(values, "rootless"),
            Criu = GlobalString(values, "criu"),
        };
        string? root = GlobalString(values, "root");
        if (root is not null)
        {
            g.Root = root;
        }

        string? format = GlobalString(values, "log-format");
        if (!string.IsNullOrEmpty(format))
        {
            g.LogFormat = format;
        }

        return g;
    }

    private static bool GlobalBool(Dictionary<FlagSpec, FlagValue> values, string name)
    {
        var f = GoFlag.Lookup(VerbTable.GlobalFlags, name)!;
        return values.TryGetValue(f, out var v) && v.Bool;
    }

    private static string? GlobalString(Dictionary<FlagSpec, FlagValue> values, string name)
    {
        var f = GoFlag.Lookup(VerbTable.GlobalFlags, name)!;
        return values.TryGetValue(f, out var v) ? v.Text : null;
    }

    private static List<string> Slice(IReadOnlyList<string> list, int from)
    {
        var r = new List<string>(Math.Max(0, list.Count - from));
        for (int i = from; i < list.Count; i++)
        {
            r.Add(list[i]);
        }

        return r;
    }
}
