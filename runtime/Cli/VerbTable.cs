namespace Runcs.Cli;

/// <summary>Value type of a flag, mirroring the urfave/cli v1 flag types runc uses.</summary>
public enum FlagKind
{
    /// <summary>cli.BoolFlag: no value, or only in the "=" form (--x=false).</summary>
    Bool,

    /// <summary>cli.StringFlag.</summary>
    String,

    /// <summary>cli.IntFlag: Go strconv.ParseInt(s, 0, 64) (0x.., 0o.., 0b.., 0.. octal, '_' separators), limited to Int32 here.</summary>
    Int,

    /// <summary>cli.DurationFlag: Go time.ParseDuration ("5s", "1m30s", "250ms").</summary>
    Duration,

    /// <summary>cli.StringSliceFlag: repeats accumulate.</summary>
    StringSlice,

    /// <summary>cli.Int64SliceFlag: repeats accumulate; each value strconv.ParseInt(s, 10, 64).</summary>
    Int64Slice,
}

/// <summary>One flag definition. <see cref="Names"/>[0] is the long (canonical) name; the rest are aliases.</summary>
public sealed class FlagSpec
{
    internal FlagSpec(FlagKind kind, string goName, string usage, string? defaultValue = null, bool hidden = false)
    {
        Kind = kind;
        GoName = goName;
        var parts = goName.Split(',');
        var names = new string[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            names[i] = parts[i].Trim(' ');
        }

        Names = names;
        Usage = usage;
        Default = defaultValue;
        Hidden = hidden;
    }

    public FlagKind Kind { get; }

    /// <summary>The urfave "Name" string ("bundle, b"), kept for help rendering and error ordering.</summary>
    public string GoName { get; }

    public IReadOnlyList<string> Names { get; }

    public string Name => Names[0];

    public string Usage { get; }

    /// <summary>Default as text (Go "Value"): null when runc's default is the zero string / nothing.</summary>
    public string? Default { get; }

    public bool Hidden { get; }

    public bool TakesValue => Kind != FlagKind.Bool;
}

public enum ArityKind
{
    Exact,
    Min,
    Max,
}

/// <summary>One runc checkArgs(context, Count, Kind) call.</summary>
public readonly record struct ArityRule(ArityKind Kind, int Count);

/// <summary>One verb (urfave cli.Command).</summary>
public sealed class VerbSpec
{
    internal VerbSpec(
        string name,
        string usage,
        string argsUsage,
        string description,
        FlagSpec[] flags,
        ArityRule[] arity,
        bool skipArgReorder = false,
        bool skipFlagParsing = false,
        bool hidden = false)
    {
        Name = name;
        Usage = usage;
        ArgsUsage = argsUsage;
        Description = description;
        Flags = flags;
        var all = new FlagSpec[flags.Length + 1];
        Array.Copy(flags, all, flags.Length);
        all[flags.Length] = VerbTable.HelpFlag;
        AllFlags = all;
        Arity = arity;
        SkipArgReorder = skipArgReorder;
        SkipFlagParsing = skipFlagParsing;
        Hidden = hidden;
    }

    public string Name { get; }

    public string Usage { get; }

    public string ArgsUsage { get; }

    public string Description { get; }

    /// <summary>The verb's own flags, in runc's order (as shown in help).</summary>
    public IReadOnlyList<FlagSpec> Flags { get; }

    /// <summary><see cref="Flags"/> plus the implicit "help, h" flag urfave appends.</summary>
    public IReadOnlyList<FlagSpec> AllFlags { get; }

    public IReadOnlyList<ArityRule> Arity { get; }

    /// <summary>urfave SkipArgReorder (exec, ps): flag parsing stops at the first positional.</summary>
    public bool SkipArgReorder { get; }

    /// <summary>No flag parsing at all; every argument is positional (init).</summary>
    public bool SkipFlagParsing { get; }

    /// <summary>Not listed in the main help (init).</summary>
    public bool Hidden { get; }

    public FlagSpec? FindFlag(string name)
    {
        foreach (var f in AllFlags)
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
}

/// <summary>The runc 1.1 verb table (flags, defaults, usage texts, arity), with "runcs" for "runc".</summary>
public static class VerbTable
{
    public const string ProgramName = "runcs";
    public const string DefaultRoot = "/run/runcs";

    internal static readonly FlagSpec HelpFlag = new(FlagKind.Bool, "help, h", "show help");
    internal static readonly FlagSpec VersionFlag = new(FlagKind.Bool, "version, v", "print the version");

    private const string ConsoleSocketUsage = "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal";
    private const string PreserveFdsUsage = "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)";
    private const string NoPivotUsage = "do not use pivot root to jail process inside rootfs.  This should be used whenever the rootfs is on top of a ramdisk";
    private const string NoNewKeyringUsage = "do not create a new session keyring for the container.  This will cause the container to inherit the calling processes session key";
    private const string PidFileUsage = "specify the file to write the process id to";
    private const string FormatUsage = "select one of: table or json";

    /// <summary>Global flags in runc's order, followed by help and version (as urfave appends them).</summary>
    public static IReadOnlyList<FlagSpec> GlobalFlags { get; } = new[]
    {
        new FlagSpec(FlagKind.Bool, "debug", "enable debug logging"),
        new FlagSpec(FlagKind.String, "log", "set the log file to write " + ProgramName + " logs to (default is '/dev/stderr')"),
        new FlagSpec(FlagKind.String, "log-format", "set the log format ('text' (default), or 'json')", "text"),
        new FlagSpec(FlagKind.String, "root", "root directory for storage of container state (this should be located in tmpfs)", DefaultRoot),
        new FlagSpec(FlagKind.String, "criu", "path to the criu binary used for checkpoint and restore", "criu"),
        new FlagSpec(FlagKind.Bool, "systemd-cgroup", "enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\" for e.g. \"system.slice:runc:434234\""),
        new FlagSpec(FlagKind.String, "rootless", "ignore cgroup permission errors ('true', 'false', or 'auto')", "auto"),
        HelpFlag,
        VersionFlag,
    };

    /// <summary>The built-in "help, h" command of urfave/cli.</summary>
    public static VerbSpec Help { get; } = new(
        "help",
        "Shows a list of commands or help for one command",
        "[command]",
        string.Empty,
        Array.Empty<FlagSpec>(),
        Array.Empty<ArityRule>());

    /// <summary>All verbs in runc's order (help last, init hidden).</summary>
    public static IReadOnlyList<VerbSpec> Verbs { get; } = BuildVerbs();

    public static bool IsKnownVerb(string v) => Find(v) is not null;

    /// <summary>Finds a verb by name or alias ("h" → help); null when unknown.</summary>
    public static VerbSpec? Find(string name)
    {
        if (name == "h")
        {
            return Help;
        }

        foreach (var v in Verbs)
        {
            if (v.Name == name)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>
    /// runc's checkArgs: throws <see cref="UsageException"/> (kind Arity) with runc's message,
    /// e.g. <c>runcs: "start" requires exactly 1 argument(s)</c>. No-op when help or version
    /// was requested or no verb was given.
    /// </summary>
    public static void CheckArity(ParsedArgs a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.HelpRequested || a.VersionRequested || a.Verb is null)
        {
            return;
        }

        var spec = Find(a.Verb) ?? throw new InvalidOperationException("unknown verb " + a.Verb);
        int n = a.Positionals.Count;
        foreach (var rule in spec.Arity)
        {
            string? msg = rule.Kind switch
            {
                ArityKind.Exact when n != rule.Count => "requires exactly " + rule.Count + " argument(s)",
                ArityKind.Min when n < rule.Count => "requires a minimum of " + rule.Count + " argument(s)",
                ArityKind.Max when n > rule.Count => "requires a maximum of " + rule.Count + " argument(s)",
                _ => null,
            };
            if (msg is not null)
            {
                throw new UsageException(ProgramName + ": \"" + spec.Name + "\" " + msg, UsageErrorKind.Arity, spec.Name);
            }
        }
    }

    private static VerbSpec[] BuildVerbs()
    {
        var exact0 = new[] { new ArityRule(ArityKind.Exact, 0) };
        var exact1 = new[] { new ArityRule(ArityKind.Exact, 1) };
        var min1 = new[] { new ArityRule(ArityKind.Min, 1) };

        var checkpoint = new VerbSpec(
            "checkpoint",
            "checkpoint a running container",
            "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container to be\ncheckpointed.",
            "The checkpoint command saves the state of the container instance.",
            new[]
            {
                new FlagSpec(FlagKind.String, "image-path", "path for saving criu image files"),
                new FlagSpec(FlagKind.String, "work-path", "path for saving work files and logs"),
                new FlagSpec(FlagKind.String, "parent-path", "path for previous criu image files in pre-dump"),
                new FlagSpec(FlagKind.Bool, "leave-running", "leave the process running after checkpointing"),
                new FlagSpec(FlagKind.Bool, "tcp-established", "allow open tcp connections"),
                new FlagSpec(FlagKind.Bool, "ext-unix-sk", "allow external unix sockets"),
                new FlagSpec(FlagKind.Bool, "shell-job", "allow shell jobs"),
                new FlagSpec(FlagKind.Bool, "lazy-pages", "use userfaultfd to lazily restore memory pages"),
                new FlagSpec(FlagKind.Int, "status-fd", "criu writes \\0 to this FD once lazy-pages is ready", "-1"),
                new FlagSpec(FlagKind.String, "page-server", "ADDRESS:PORT of the page server"),
                new FlagSpec(FlagKind.Bool, "file-locks", "handle file locks, for safety"),
                new FlagSpec(FlagKind.Bool, "pre-dump", "dump container's memory information only, leave the container running after this"),
                new FlagSpec(FlagKind.String, "manage-cgroups-mode", "cgroups mode: 'soft' (default), 'full' and 'strict'"),
                new FlagSpec(FlagKind.StringSlice, "empty-ns", "create a namespace, but don't restore its properties"),
                new FlagSpec(FlagKind.Bool, "auto-dedup", "enable auto deduplication of memory images"),
            },
            exact1);

        const string createArgs = "<container-id>\n\nWhere \"<container-id>\" is your name for the instance of the container that you\nare starting. The name you provide for the container instance must be unique on\nyour host.";
        const string createDescTail = " command creates an instance of a container for a bundle. The bundle\nis a directory with a specification file named \"config.json\" and a root\nfilesystem.\n\nThe specification file includes an args parameter. The args parameter is used\nto specify command(s) that get run when the container is started. To change the\ncommand(s) that get executed on start, edit the args parameter of the spec. See\n\"" + ProgramName + " spec --help\" for more explanation.";

        var create = new VerbSpec(
            "create",
            "create a container",
            createArgs,
            "The create" + createDescTail,
            new[]
            {
                new FlagSpec(FlagKind.String, "bundle, b", "path to the root of the bundle directory, defaults to the current directory"),
                new FlagSpec(FlagKind.String, "console-socket", ConsoleSocketUsage),
                new FlagSpec(FlagKind.String, "pid-file", PidFileUsage),
                new FlagSpec(FlagKind.Bool, "no-pivot", NoPivotUsage),
                new FlagSpec(FlagKind.Bool, "no-new-keyring", NoNewKeyringUsage),
                new FlagSpec(FlagKind.Int, "preserve-fds", PreserveFdsUsage, "0"),
            },
            exact1);

        var delete = new VerbSpec(
            "delete",
            "delete any resources held by the container often used with detached container",
            "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container.\n\nEXAMPLE:\nFor example, if the container id is \"ubuntu01\" and " + ProgramName + " list currently shows the\nstatus of \"ubuntu01\" as \"stopped\" the following will delete resources held for\n\"ubuntu01\" removing \"ubuntu01\" from the " + ProgramName + " list of containers:\n\n       # " + ProgramName + " delete ubuntu01",
            string.Empty,
            new[]
            {
                new FlagSpec(FlagKind.Bool, "force, f", "Forcibly deletes the container if it is still running (uses SIGKILL)"),
            },
            exact1);

        var events = new VerbSpec(
            "events",
            "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
            "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container.",
            "The events command displays information about the container. By default the\ninformation is displayed once every 5 seconds.",
            new[]
            {
                new FlagSpec(FlagKind.Duration, "interval", "set the stats collection interval", "5s"),
                new FlagSpec(FlagKind.Bool, "stats", "display the container's stats then exit"),
            },
            exact1);

        var exec = new VerbSpec(
            "exec",
            "execute new process inside the container",
            "<container-id> <command> [command options]  || -p process.json <container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container and\n\"<command>\" is the command to be executed in the container.\n\"<command>\" can't be empty unless a \"-p\" flag provided.\n\nEXAMPLE:\nFor example, if the container is configured to run the linux ps command the\nfollowing will output a list of processes running in the container:\n\n       # " + ProgramName + " exec <container-id> ps",
            string.Empty,
            new[]
            {
                new FlagSpec(FlagKind.String, "console-socket", ConsoleSocketUsage),
                new FlagSpec(FlagKind.String, "cwd", "current working directory in the container"),
                new FlagSpec(FlagKind.StringSlice, "env, e", "set environment variables"),
                new FlagSpec(FlagKind.Bool, "tty, t", "allocate a pseudo-TTY"),
                new FlagSpec(FlagKind.String, "user, u", "UID (format: <uid>[:<gid>])"),
                new FlagSpec(FlagKind.Int64Slice, "additional-gids, g", "additional gids"),
                new FlagSpec(FlagKind.String, "process, p", "path to the process.json"),
                new FlagSpec(FlagKind.Bool, "detach,d", "detach from the container's process"),
                new FlagSpec(FlagKind.String, "pid-file", PidFileUsage),
                new FlagSpec(FlagKind.String, "process-label", "set the asm process label for the process commonly used with selinux"),
                new FlagSpec(FlagKind.String, "apparmor", "set the apparmor profile for the process"),
                new FlagSpec(FlagKind.Bool, "no-new-privs", "set the no new privileges value for the process"),
                new FlagSpec(FlagKind.StringSlice, "cap, c", "add a capability to the bounding set for the process"),
                new FlagSpec(FlagKind.Int, "preserve-fds", PreserveFdsUsage, "0"),
                new FlagSpec(FlagKind.StringSlice, "cgroup", "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>."),
                new FlagSpec(FlagKind.Bool, "ignore-paused", "allow exec in a paused container"),
            },
            min1,
            skipArgReorder: true);

        var init = new VerbSpec(
            "init",
            "initialize the namespaces and launch the process (do not call it outside of " + ProgramName + ")",
            string.Empty,
            string.Empty,
            Array.Empty<FlagSpec>(),
            Array.Empty<ArityRule>(),
            skipFlagParsing: true,
            hidden: true);

        var kill = new VerbSpec(
            "kill",
            "kill sends the specified signal (default: SIGTERM) to the container's init process",
            "<container-id> [signal]\n\nWhere \"<container-id>\" is the name for the instance of the container and\n\"[signal]\" is the signal to be sent to the init process.\n\nEXAMPLE:\nFor example, if the container id is \"ubuntu01\" the following will send a \"KILL\"\nsignal to the init process of the \"ubuntu01\" container:\n\n       # " + ProgramName + " kill ubuntu01 KILL",
            string.Empty,
            new[]
            {
                new FlagSpec(FlagKind.Bool, "all, a", "send the specified signal to all processes inside the container"),
            },
            new[] { new ArityRule(ArityKind.Min, 1), new ArityRule(ArityKind.Max, 2) });

        var list = new VerbSpec(
            "list",
            "lists containers started by " + ProgramName + " with the given root",
            "\n\nWhere the given root is specified via the global option \"--root\"\n(default: \"" + DefaultRoot + "\").\n\nEXAMPLE 1:\nTo list containers created via the default \"--root\":\n       # " + ProgramName + " list\n\nEXAMPLE 2:\nTo list containers created using a non-default value for \"--root\":\n       # " + ProgramName + " --root value list",
            string.Empty,
            new[]
            {
                new FlagSpec(FlagKind.String, "format, f", FormatUsage, "table"),
                new FlagSpec(FlagKind.Bool, "quiet, q", "display only container IDs"),
            },
            exact0);

        var pause = new VerbSpec(
            "pause",
            "pause suspends all processes inside the container",
            "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container to be\npaused. ",
            "The pause command suspends all processes in the instance of the container.\n\nUse " + ProgramName + " list to identify instances of containers and their current status.",
            Array.Empty<FlagSpec>(),
            exact1);

        var ps = new VerbSpec(
            "ps",
            "ps displays the processes running inside a container",
            "<container-id> [ps options]",
            string.Empty,
            new[]
            {
                new FlagSpec(FlagKind.String, "format, f", FormatUsage, "table"),
            },
            min1,
            skipArgReorder: true);

        var restore = new VerbSpec(
            "restore",
            "restore a container from a previous checkpoint",
            "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container to be\nrestored.",
            "Restores the saved state of the container instance that was previously saved\nusing the " + ProgramName + " checkpoint command.",
            new[]
            {
                new FlagSpec(FlagKind.String, "console-socket", ConsoleSocketUsage),
                new FlagSpec(FlagKind.String, "image-path", "path to criu image files for restoring"),
                new FlagSpec(FlagKind.String, "work-path", "path for saving work files and logs"),
                new FlagSpec(FlagKind.Bool, "tcp-established", "allow open tcp connections"),
                new FlagSpec(FlagKind.Bool, "ext-unix-sk", "allow external unix sockets"),
                new FlagSpec(FlagKind.Bool, "shell-job", "allow shell jobs"),
                new FlagSpec(FlagKind.Bool, "file-locks", "handle file locks, for safety"),
                new FlagSpec(FlagKind.String, "manage-cgroups-mode", "cgroups mode: 'soft' (default), 'full' and 'strict'"),
                new FlagSpec(FlagKind.String, "bundle, b", "path to the root of the bundle directory"),
                new FlagSpec(FlagKind.Bool, "detach,d", "detach from the container's process"),
                new FlagSpec(FlagKind.String, "pid-file", PidFileUsage),
                new FlagSpec(FlagKind.Bool, "no-subreaper", "disable the use of the subreaper used to reap reparented processes"),
                new FlagSpec(FlagKind.Bool, "no-pivot", NoPivotUsage),
                new FlagSpec(FlagKind.StringSlice, "empty-ns", "create a namespace, but don't restore its properties"),
                new FlagSpec(FlagKind.Bool, "auto-dedup", "enable auto deduplication of memory images"),
                new FlagSpec(FlagKind.Bool, "lazy-pages", "use userfaultfd to lazily restore memory pages"),
                new FlagSpec(FlagKind.String, "lsm-profile", "Specify an LSM profile to be used during restore in the form of TYPE:NAME."),
                new FlagSpec(FlagKind.String, "lsm-mount-context", "Specify an LSM mount context to be used during restore."),
            },
            exact1);

        var resume = new VerbSpec(
            "resume",
            "resumes all processes that have been previously paused",
            "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container to be\nresumed.",
            "The resume command resumes all processes in the instance of the container.\n\nUse " + ProgramName + " list to identify instances of containers and their current status.",
            Array.Empty<FlagSpec>(),
            exact1);

        var run = new VerbSpec(
            "run",
            "create and run a container",
            createArgs,
            "The run" + createDescTail,
            new[]
            {
                new FlagSpec(FlagKind.String, "bundle, b", "path to the root of the bundle directory, defaults to the current directory"),
                new FlagSpec(FlagKind.String, "console-socket", ConsoleSocketUsage),
                new FlagSpec(FlagKind.Bool, "detach, d", "detach from the container's process"),
                new FlagSpec(FlagKind.Bool, "keep", "do not delete the container after it exits"),
                new FlagSpec(FlagKind.String, "pid-file", PidFileUsage),
                new FlagSpec(FlagKind.Bool, "no-subreaper", "disable the use of the subreaper used to reap reparented processes"),
                new FlagSpec(FlagKind.Bool, "no-pivot", NoPivotUsage),
                new FlagSpec(FlagKind.Bool, "no-new-keyring", NoNewKeyringUsage),
                new FlagSpec(FlagKind.Int, "preserve-fds", PreserveFdsUsage, "0"),
            },
            exact1);

        const string p = ProgramName;
        var spec = new VerbSpec(
            "spec",
            "create a new specification file",
            string.Empty,
            "The spec command creates the new specification file named \"config.json\" for\n" +
            "the bundle.\n" +
            "\n" +
            "The spec generated is just a starter file. Editing of the spec is required to\n" +
            "achieve desired results. For example, the newly generated spec includes an args\n" +
            "parameter that is initially set to call the \"sh\" command when the container is\n" +
            "started. Calling \"sh\" may work for an ubuntu container or busybox, but will not\n" +
            "work for containers that do not include the \"sh\" program.\n" +
            "\n" +
            "EXAMPLE:\n" +
            "  To run docker's hello-world container one needs to set the args parameter\n" +
            "in the spec to call hello. This can be done using the sed command or a text\n" +
            "editor. The following commands create a bundle for hello-world, change the\n" +
            "default args parameter in the spec from \"sh\" to \"/hello\", then run the hello\n" +
            "command in a new hello-world container named container1:\n" +
            "\n" +
            "    mkdir hello\n" +
            "    cd hello\n" +
            "    docker pull hello-world\n" +
            "    docker export $(docker create hello-world) > hello-world.tar\n" +
            "    mkdir rootfs\n" +
            "    tar -C rootfs -xf hello-world.tar\n" +
            "    " + p + " spec\n" +
            "    sed -i 's;\"sh\";\"/hello\";' config.json\n" +
            "    " + p + " run container1\n" +
            "\n" +
            "In the run command above, \"container1\" is the name for the instance of the\n" +
            "container that you are starting. The name you provide for the container instance\n" +
            "must be unique on your host.\n" +
            "\n" +
            "An alternative for generating a customized spec config is to use \"oci-runtime-tool\", the\n" +
            "sub-command \"oci-runtime-tool generate\" has lots of options that can be used to do any\n" +
            "customizations as you want, see runtime-tools (https://github.com/opencontainers/runtime-tools)\n" +
            "to get more information.\n" +
            "\n" +
            "When starting a container through " + p + ", " + p + " needs root privilege. If not\n" +
            "already running as root, you can use sudo to give " + p + " root privilege. For\n" +
            "example: \"sudo " + p + " start container1\" will give " + p + " root privilege to start the\n" +
            "container on your host.\n" +
            "\n" +
            "Alternatively, you can start a rootless container, which has the ability to run\n" +
            "without root privileges. For this to work, the specification file needs to be\n" +
            "adjusted accordingly. You can pass the parameter --rootless to this command to\n" +
            "generate a proper rootless spec file.\n" +
            "\n" +
            "Note that --rootless is not needed when you execute " + p + " as the root in a user namespace\n" +
            "created by an unprivileged user.\n",
            new[]
            {
                new FlagSpec(FlagKind.String, "bundle, b", "path to the root of the bundle directory"),
                new FlagSpec(FlagKind.Bool, "rootless", "generate a configuration for a rootless container"),
            },
            exact0);

        var start = new VerbSpec(
            "start",
            "executes the user defined process in a created container",
            createArgs,
            "The start command executes the user defined process in a created container.",
            Array.Empty<FlagSpec>(),
            exact1);

        var state = new VerbSpec(
            "state",
            "output the state of a container",
            "<container-id>\n\nWhere \"<container-id>\" is your name for the instance of the container.",
            "The state command outputs current state information for the\ninstance of a container.",
            Array.Empty<FlagSpec>(),
            exact1);

        var update = new VerbSpec(
            "update",
            "update container resource constraints",
            "<container-id>",
            string.Empty,
            new[]
            {
                new FlagSpec(
                    FlagKind.String,
                    "resources, r",
                    "path to the file containing the resources to update or '-' to read from the standard input\n" +
                    "\n" +
                    "The accepted format is as follow (unchanged values can be omitted):\n" +
                    "\n" +
                    "{\n" +
                    "  \"memory\": {\n" +
                    "    \"limit\": 0,\n" +
                    "    \"reservation\": 0,\n" +
                    "    \"swap\": 0\n" +
                    "  },\n" +
                    "  \"cpu\": {\n" +
                    "    \"shares\": 0,\n" +
                    "    \"quota\": 0,\n" +
                    "    \"period\": 0,\n" +
                    "    \"realtimeRuntime\": 0,\n" +
                    "    \"realtimePeriod\": 0,\n" +
                    "    \"cpus\": \"\",\n" +
                    "    \"mems\": \"\"\n" +
                    "  },\n" +
                    "  \"blockIO\": {\n" +
                    "    \"weight\": 0\n" +
                    "  }\n" +
                    "}\n" +
                    "\n" +
                    "Note: if data is to be read from a file or the standard input, all\n" +
                    "other options are ignored.\n"),
                new FlagSpec(FlagKind.Int, "blkio-weight", "Specifies per cgroup weight, range is from 10 to 1000", "0"),
                new FlagSpec(FlagKind.String, "cpu-period", "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default"),
                new FlagSpec(FlagKind.String, "cpu-quota", "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period"),
                new FlagSpec(FlagKind.String, "cpu-share", "CPU shares (relative weight vs. other containers)"),
                new FlagSpec(FlagKind.String, "cpu-rt-period", "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default"),
                new FlagSpec(FlagKind.String, "cpu-rt-runtime", "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period"),
                new FlagSpec(FlagKind.String, "cpuset-cpus", "CPU(s) to use"),
                new FlagSpec(FlagKind.String, "cpuset-mems", "Memory node(s) to use"),
                new FlagSpec(FlagKind.String, "kernel-memory", "(obsoleted; do not use)", hidden: true),
                new FlagSpec(FlagKind.String, "kernel-memory-tcp", "(obsoleted; do not use)", hidden: true),
                new FlagSpec(FlagKind.String, "memory", "Memory limit (in bytes)"),
                new FlagSpec(FlagKind.String, "memory-reservation", "Memory reservation or soft_limit (in bytes)"),
                new FlagSpec(FlagKind.String, "memory-swap", "Total memory usage (memory + swap); set '-1' to enable unlimited swap"),
                new FlagSpec(FlagKind.Int, "pids-limit", "Maximum number of pids allowed in the container", "0"),
                new FlagSpec(FlagKind.String, "l3-cache-schema", "The string of Intel RDT/CAT L3 cache schema"),
                new FlagSpec(FlagKind.String, "mem-bw-schema", "The string of Intel RDT/MBA memory bandwidth schema"),
            },
            exact1);

        var features = new VerbSpec(
            "features",
            "show the enabled features",
            string.Empty,
            "Show the enabled features.\n   The result is parsable as a JSON.\n   See https://pkg.go.dev/github.com/opencontainers/runc/types/features for the type definition.\n   The types are experimental and subject to change.\n",
            Array.Empty<FlagSpec>(),
            exact0);

        return new[]
        {
            checkpoint, create, delete, events, exec, init, kill, list, pause, ps,
            restore, resume, run, spec, start, state, update, features, Help,
        };
    }
}
