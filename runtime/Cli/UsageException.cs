namespace Runcs.Cli;

/// <summary>Which stage of command-line handling rejected the arguments; decides what runc prints.</summary>
public enum UsageErrorKind
{
    /// <summary>Go flag error in the global flags (before the verb). runc prints "Incorrect Usage. ERR" + main help to stdout.</summary>
    GlobalFlag,

    /// <summary>Two forms of one global flag (e.g. -h and --help). runc prints "ERR" + main help to stdout.</summary>
    GlobalFlagForms,

    /// <summary>Any other usage error (e.g. invalid log-format): only the message, on stderr, exit status 1.</summary>
    Plain,

    /// <summary>Go flag error in the verb's flags. runc prints "Incorrect Usage: ERR" + the verb's help to stdout.</summary>
    VerbFlag,

    /// <summary>Wrong number of positional arguments. runc prints "Incorrect Usage." + the verb's help to stdout.</summary>
    Arity,

    /// <summary>Unknown verb or unknown help topic: "No help topic for 'x'", exit status 3, nothing on stdout.</summary>
    UnknownCommand,
}

/// <summary>
/// A command-line usage error. <see cref="Exception.Message"/> is the one-line text runc writes
/// to stderr (through its logger); <see cref="FormatStdout"/> is what runc writes to stdout
/// before it; <see cref="ExitCode"/> is the exit status.
/// </summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : this(message, UsageErrorKind.Plain, null)
    {
    }

    public UsageException(string message, UsageErrorKind kind, string? verb)
        : base(message)
    {
        Kind = kind;
        Verb = verb;
    }

    public UsageErrorKind Kind { get; }

    /// <summary>The canonical verb whose help accompanies the error, or null (main help / none).</summary>
    public string? Verb { get; }

    /// <summary>Process exit status runc uses for this error (1, or 3 for an unknown command).</summary>
    public int ExitCode => Kind == UsageErrorKind.UnknownCommand ? 3 : 1;

    /// <summary>
    /// The text runc prints to stdout for this error (possibly empty). <paramref name="version"/>
    /// is the multi-line version string shown in the main help's VERSION section (omitted when null).
    /// </summary>
    public string FormatStdout(string? version = null)
    {
        switch (Kind)
        {
            case UsageErrorKind.GlobalFlag:
                return "Incorrect Usage. " + Message + "\n\n" + HelpText.Main(version);
            case UsageErrorKind.GlobalFlagForms:
                return Message + "\n" + HelpText.Main(version);
            case UsageErrorKind.VerbFlag:
                return "Incorrect Usage: " + Message + "\n\n" + (Verb is null ? string.Empty : HelpText.ForVerb(Verb));
            case UsageErrorKind.Arity:
                return "Incorrect Usage.\n\n" + (Verb is null ? string.Empty : HelpText.ForVerb(Verb));
            default:
                return string.Empty;
        }
    }
}
