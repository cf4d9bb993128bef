using System.Runtime.Versioning;
using Runcs.Cli;

namespace OciRuntime.Tests.Unit.Cli;

// The runcs assembly is [SupportedOSPlatform("linux")].
[SupportedOSPlatform("linux")]
public class CommandLineParserTests
{
    private static ParsedArgs P(params string[] argv) => CommandLineParser.Parse(argv);

    private static UsageException Fails(params string[] argv) =>
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(argv));

    // ---- command lines used by containerd (go-runc) and podman ----

    [Fact]
    public void ContainerdCreate()
    {
        var a = P("--root", "/run/containerd/runc/default", "--log", "/b/log.json", "--log-format", "json",
            "create", "--bundle", "/b", "--pid-file", "/b/init.pid", "--console-socket", "/tmp/s", "ID");
        VerbTable.CheckArity(a);
        Assert.Equal("/run/containerd/runc/default", a.Global.Root);
        Assert.Equal("/b/log.json", a.Global.Log);
        Assert.Equal("json", a.Global.LogFormat);
        Assert.False(a.Global.Debug);
        Assert.False(a.Global.SystemdCgroup);
        Assert.Equal("create", a.Verb);
        Assert.Equal("/b", a.GetString("bundle"));
        Assert.Equal("/b/init.pid", a.GetString("pid-file"));
        Assert.Equal("/tmp/s", a.GetString("console-socket"));
        Assert.False(a.GetBool("no-pivot"));
        Assert.Equal(0, a.GetInt("preserve-fds"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
        Assert.False(a.HelpRequested);
        Assert.False(a.VersionRequested);
    }

    [Fact]
    public void ContainerdExecWithProcessFile()
    {
        var a = P("--root", "R", "--log", "L", "--log-format", "json",
            "exec", "--process", "/tmp/p.json", "--detach", "--pid-file", "/p", "ID");
        VerbTable.CheckArity(a);
        Assert.Equal("R", a.Global.Root);
        Assert.Equal("exec", a.Verb);
        Assert.Equal("/tmp/p.json", a.GetString("process"));
        Assert.True(a.GetBool("detach"));
        Assert.False(a.GetBool("tty"));
        Assert.Equal("/p", a.GetString("pid-file"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void PodmanCreate()
    {
        var a = P("--log-format=json", "--log", "/x/oci-log", "create", "--bundle", "B", "--pid-file", "P",
            "--no-pivot", "--no-new-keyring", "--preserve-fds", "2", "--console-socket", "S", "ID");
        VerbTable.CheckArity(a);
        Assert.Equal("json", a.Global.LogFormat);
        Assert.Equal("/x/oci-log", a.Global.Log);
        Assert.Equal("B", a.GetString("bundle"));
        Assert.Equal("P", a.GetString("pid-file"));
        Assert.True(a.GetBool("no-pivot"));
        Assert.True(a.GetBool("no-new-keyring"));
        Assert.Equal(2, a.GetInt("preserve-fds"));
        Assert.Equal("S", a.GetString("console-socket"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void SystemdCgroupCreate()
    {
        var a = P("--systemd-cgroup", "--log-format=json", "--log", "F", "create", "--bundle", "B", "--pid-file", "P", "ID");
        VerbTable.CheckArity(a);
        Assert.True(a.Global.SystemdCgroup);
        Assert.Equal("json", a.Global.LogFormat);
        Assert.Equal("F", a.Global.Log);
        Assert.Equal("B", a.GetString("bundle"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void KillAllWithSignal()
    {
        var a = P("kill", "--all", "ID", "9");
        VerbTable.CheckArity(a);
        Assert.True(a.GetBool("all"));
        Assert.Equal(new[] { "ID", "9" }, a.Positionals);
    }

    [Fact]
    public void KillWithSignal()
    {
        var a = P("kill", "ID", "15");
        VerbTable.CheckArity(a);
        Assert.False(a.GetBool("all"));
        Assert.False(a.Has("all"));
        Assert.Equal(new[] { "ID", "15" }, a.Positionals);
    }

    [Fact]
    public void DeleteForce()
    {
        var a = P("delete", "--force", "ID");
        VerbTable.CheckArity(a);
        Assert.True(a.GetBool("force"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void DeleteForceAfterPositional()
    {
        var a = P("delete", "ID", "--force");
        VerbTable.CheckArity(a);
        Assert.True(a.GetBool("force"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Theory]
    [InlineData(new[] { "update", "--resources", "-", "ID" }, "-")]
    [InlineData(new[] { "update", "--resources=-", "ID" }, "-")]
    [InlineData(new[] { "update", "--resources=/f", "ID" }, "/f")]
    [InlineData(new[] { "update", "-r", "-", "ID" }, "-")]
    [InlineData(new[] { "update", "ID", "-r", "-" }, "-")]
    public void UpdateResources(string[] argv, string expected)
    {
        var a = P(argv);
        VerbTable.CheckArity(a);
        Assert.Equal(expected, a.GetString("resources"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void UpdateNegativeValueAfterPositional()
    {
        // urfave/cli >= 1.22.6 (what runc 1.1.5 as installed uses): "-1" is the value of --memory-swap.
        var a = P("update", "ID", "--memory-swap", "-1");
        VerbTable.CheckArity(a);
        Assert.Equal("-1", a.GetString("memory-swap"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
        Assert.Null(a.GetString("memory"));
    }

    [Fact]
    public void UpdateHiddenObsoleteFlagsAccepted()
    {
        var a = P("update", "--kernel-memory", "1", "--kernel-memory-tcp=2", "ID");
        Assert.Equal("1", a.GetString("kernel-memory"));
        Assert.Equal("2", a.GetString("kernel-memory-tcp"));
    }

    [Fact]
    public void PsFormatJson()
    {
        var a = P("ps", "--format", "json", "ID");
        VerbTable.CheckArity(a);
        Assert.Equal("json", a.GetString("format"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void PsArgumentsAfterIdAreVerbatim()
    {
        // ps has SkipArgReorder like exec.
        var a = P("ps", "ID", "-f", "-e");
        VerbTable.CheckArity(a);
        Assert.Equal("table", a.GetString("format"));
        Assert.False(a.Has("format"));
        Assert.Equal(new[] { "ID", "-f", "-e" }, a.Positionals);
    }

    [Fact]
    public void State()
    {
        var a = P("state", "ID");
        VerbTable.CheckArity(a);
        Assert.Equal("state", a.Verb);
        Assert.Equal(new[] { "ID" }, a.Positionals);
        Assert.Equal("/run/runcs", a.Global.Root);
        Assert.Equal("text", a.Global.LogFormat);
        Assert.Null(a.Global.Log);
        Assert.Null(a.Global.Rootless);
        Assert.Null(a.Global.Criu);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("-version")]
    [InlineData("-v")]
    [InlineData("--v")]
    public void Version(string flag)
    {
        var a = P(flag);
        Assert.True(a.VersionRequested);
        Assert.False(a.HelpRequested);
        Assert.Null(a.Verb);
        VerbTable.CheckArity(a);
    }

    [Fact]
    public void VersionBeforeVerbWins()
    {
        var a = P("--version", "list");
        Assert.True(a.VersionRequested);
        Assert.Null(a.Verb);
    }

    [Fact]
    public void HelpWinsOverVersion()
    {
        var a = P("--version", "--help");
        Assert.True(a.HelpRequested);
        Assert.False(a.VersionRequested);
    }

    [Fact]
    public void CheckpointHelp()
    {
        var a = P("checkpoint", "--help");
        Assert.True(a.HelpRequested);
        Assert.Equal("checkpoint", a.Verb);
        VerbTable.CheckArity(a); // no arity error when help is requested
    }

    [Theory]
    [InlineData("checkpoint", "-h")]
    [InlineData("checkpoint", "--h")]
    [InlineData("checkpoint", "-help")]
    [InlineData("delete", "--help")]
    [InlineData("spec", "-h")]
    public void VerbHelpFlag(string verb, string flag)
    {
        var a = P(verb, flag);
        Assert.True(a.HelpRequested);
        Assert.Equal(verb, a.Verb);
        Assert.True(a.GetBool("help"));
    }

    [Fact]
    public void VerbHelpAfterPositional()
    {
        var a = P("delete", "ID", "--help");
        Assert.True(a.HelpRequested);
        Assert.Equal("delete", a.Verb);
    }

    [Fact]
    public void VerbHelpFalseIsNotHelp()
    {
        var a = P("delete", "--help=false", "ID");
        Assert.False(a.HelpRequested);
        Assert.True(a.Has("help"));
    }

    [Theory]
    [InlineData("help", "checkpoint")]
    [InlineData("h", "checkpoint")]
    [InlineData("help", "exec")]
    public void HelpVerbWithTopic(string help, string topic)
    {
        var a = P(help, topic);
        Assert.True(a.HelpRequested);
        Assert.Equal(topic, a.Verb);
        VerbTable.CheckArity(a);
    }

    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("h")]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--debug --help list")]
    public void MainHelp(string commandLine)
    {
        var a = P(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(a.HelpRequested);
        Assert.Null(a.Verb);
        VerbTable.CheckArity(a);
    }

    [Fact]
    public void HelpOfHelp()
    {
        var a = P("help", "--help");
        Assert.True(a.HelpRequested);
        Assert.Equal("help", a.Verb);
    }

    [Theory]
    [InlineData(new[] { "nosuch" }, "No help topic for 'nosuch'")]
    [InlineData(new[] { "--debug", "Start", "ID" }, "No help topic for 'Start'")]
    [InlineData(new[] { "help", "nosuch" }, "No help topic for 'nosuch'")]
    [InlineData(new[] { "help", "init" }, "No help topic for 'init'")]
    public void UnknownVerb(string[] argv, string message)
    {
        var e = Fails(argv);
        Assert.Equal(message, e.Message);
        Assert.Equal(3, e.ExitCode);
        Assert.Equal(UsageErrorKind.UnknownCommand, e.Kind);
        Assert.Equal(string.Empty, e.FormatStdout());
    }

    [Fact]
    public void RestoreAsGoRuncCallsIt()
    {
        var a = P("restore", "--image-path", "/img", "--work-path", "/w", "--tcp-established", "--ext-unix-sk",
            "--shell-job", "--file-locks", "--empty-ns", "network", "--manage-cgroups-mode", "soft",
            "--detach", "--pid-file", "/p", "--console-socket", "/s", "--no-pivot", "-no-subreaper",
            "--bundle", "/b", "ID");
        VerbTable.CheckArity(a);
        Assert.Equal("/img", a.GetString("image-path"));
        Assert.Equal("/w", a.GetString("work-path"));
        Assert.True(a.GetBool("tcp-established"));
        Assert.True(a.GetBool("ext-unix-sk"));
        Assert.True(a.GetBool("shell-job"));
        Assert.True(a.GetBool("file-locks"));
        Assert.Equal(new[] { "network" }, a.GetStrings("empty-ns"));
        Assert.Equal("soft", a.GetString("manage-cgroups-mode"));
        Assert.True(a.GetBool("detach"));
        Assert.Equal("/p", a.GetString("pid-file"));
        Assert.Equal("/s", a.GetString("console-socket"));
        Assert.True(a.GetBool("no-pivot"));
        Assert.True(a.GetBool("no-subreaper"));
        Assert.True(a.Has("no-subreaper"));
        Assert.False(a.GetBool("lazy-pages"));
        Assert.Equal("/b", a.GetString("bundle"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void ExecCommandArgumentsAreVerbatim()
    {
        var a = P("exec", "ID", "sh", "-c", "ls -la");
        VerbTable.CheckArity(a);
        Assert.Equal(new[] { "ID", "sh", "-c", "ls -la" }, a.Positionals);
        Assert.False(a.Has("cap"));
    }

    [Fact]
    public void ExecTtyThenCommand()
    {
        var a = P("exec", "-t", "ID", "ls", "-la");
        VerbTable.CheckArity(a);
        Assert.True(a.GetBool("tty"));
        Assert.Equal(new[] { "ID", "ls", "-la" }, a.Positionals);
    }

    [Fact]
    public void ExecFlagsAfterIdBelongToTheCommand()
    {
        var a = P("exec", "ID", "--env", "A=1", "-t", "--help", "--bogus");
        VerbTable.CheckArity(a);
        Assert.False(a.HelpRequested);
        Assert.False(a.Has("env"));
        Assert.False(a.Has("tty"));
        Assert.Equal(new[] { "ID", "--env", "A=1", "-t", "--help", "--bogus" }, a.Positionals);
    }

    [Fact]
    public void ExecFullFlagSet()
    {
        var a = P("exec", "-e", "A=1", "-e", "B=2", "-e=C=3", "-u", "1000:1000", "-g", "10", "--g=20",
            "--cwd", "/w", "--cap", "CAP_SYS_ADMIN", "-cap=CAP_NET_ADMIN", "--cgroup", "cpu:/x", "--no-new-privs",
            "--apparmor", "prof", "--process-label", "lbl", "--preserve-fds=3", "--ignore-paused", "-d", "ID", "true");
        Assert.Equal(new[] { "A=1", "B=2", "C=3" }, a.GetStrings("env"));
        Assert.Equal("1000:1000", a.GetString("user"));
        Assert.Equal(new[] { "10", "20" }, a.GetStrings("additional-gids"));
        Assert.Equal(new[] { "CAP_SYS_ADMIN", "CAP_NET_ADMIN" }, a.GetStrings("cap"));
        Assert.Equal(new[] { "cpu:/x" }, a.GetStrings("cgroup"));
        Assert.Equal("/w", a.GetString("cwd"));
        Assert.True(a.GetBool("no-new-privs"));
        Assert.Equal("prof", a.GetString("apparmor"));
        Assert.Equal("lbl", a.GetString("process-label"));
        Assert.Equal(3, a.GetInt("preserve-fds"));
        Assert.True(a.GetBool("ignore-paused"));
        Assert.True(a.GetBool("detach"));
        Assert.Equal(new[] { "ID", "true" }, a.Positionals);
    }

    [Fact]
    public void ExecAdditionalGidsParsedAsInt64()
    {
        var a = P("exec", "-g", "10", "-g", "-5", "-g", "4294967296", "ID", "true");
        Assert.Equal(new long[] { 10, -5, 4294967296 }, a.GetInt64s("additional-gids"));
    }

    [Fact]
    public void ExecAdditionalGidsHexIsInvalid()
    {
        // Int64Slice uses base 10, unlike IntFlag (base 0).
        var e = Fails("exec", "--additional-gids", "0x20", "ID", "true");
        Assert.Equal("invalid value \"0x20\" for flag -additional-gids: strconv.ParseInt: parsing \"0x20\": invalid syntax", e.Message);
    }

    [Fact]
    public void RunDetachBundle()
    {
        var a = P("run", "-d", "--bundle", "B", "ID");
        VerbTable.CheckArity(a);
        Assert.True(a.GetBool("detach"));
        Assert.Equal("B", a.GetString("bundle"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    // ---- bool flags ----

    [Fact]
    public void BoolEqualsFalse()
    {
        var a = P("run", "--detach=false", "ID");
        Assert.True(a.Has("detach"));
        Assert.False(a.GetBool("detach"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void BoolLastOneWins()
    {
        Assert.False(P("run", "--detach", "--detach=false", "ID").GetBool("detach"));
        Assert.True(P("run", "--detach=false", "--detach", "ID").GetBool("detach"));
    }

    [Fact]
    public void BoolDoesNotTakeSeparateValue()
    {
        // "--detach false": the flag, then "false" is a positional.
        var a = P("run", "--detach", "false");
        Assert.True(a.GetBool("detach"));
        Assert.Equal(new[] { "false" }, a.Positionals);
    }

    [Fact]
    public void BoolQuirkAfterPositional()
    {
        // urfave reorderArgs puts the word after a flag next to it even for bool flags:
        // runc kill a/b -a 9 signals container "9". Reproduced faithfully.
        var a = P("kill", "ID", "-a", "9");
        Assert.True(a.GetBool("all"));
        Assert.Equal(new[] { "9", "ID" }, a.Positionals);
    }

    [Fact]
    public void BadBoolValue()
    {
        var e = Fails("exec", "--detach=x", "ID");
        Assert.Equal("invalid boolean value \"x\" for -detach: parse error", e.Message);
        Assert.Equal(UsageErrorKind.VerbFlag, e.Kind);
        Assert.Equal("exec", e.Verb);
        Assert.Equal(1, e.ExitCode);
        Assert.StartsWith("Incorrect Usage: invalid boolean value \"x\" for -detach: parse error\n\nNAME:\n   runcs exec - ", e.FormatStdout());
    }

    [Fact]
    public void BadGlobalBool()
    {
        var e = Fails("--debug=x", "list");
        Assert.Equal("invalid boolean value \"x\" for -debug: parse error", e.Message);
        Assert.Equal(UsageErrorKind.GlobalFlag, e.Kind);
        Assert.Null(e.Verb);
        Assert.StartsWith("Incorrect Usage. invalid boolean value \"x\" for -debug: parse error\n\nNAME:\n   runcs - ", e.FormatStdout());
    }

    // ---- ints and durations ----

    [Fact]
    public void BadInt()
    {
        var e = Fails("exec", "--preserve-fds", "x", "ID");
        Assert.Equal("invalid value \"x\" for flag -preserve-fds: parse error", e.Message);
    }

    [Theory]
    [InlineData("10", 10)]
    [InlineData("+10", 10)]
    [InlineData("-1", -1)]
    [InlineData("0x1f", 31)]
    [InlineData("0X1F", 31)]
    [InlineData("010", 8)]
    [InlineData("0o17", 15)]
    [InlineData("0b101", 5)]
    [InlineData("1_000", 1000)]
    [InlineData("0", 0)]
    [InlineData("2147483647", int.MaxValue)]
    public void IntParsesLikeGo(string text, int expected)
    {
        Assert.Equal(expected, P("create", "--preserve-fds", text, "ID").GetInt("preserve-fds"));
    }

    [Theory]
    [InlineData("", "parse error")]
    [InlineData("1.5", "parse error")]
    [InlineData("08", "parse error")]
    [InlineData("_1", "parse error")]
    [InlineData("1__0", "parse error")]
    [InlineData("0x", "parse error")]
    [InlineData(" 1", "parse error")]
    [InlineData("99999999999999999999", "value out of range")]
    [InlineData("2147483648", "value out of range")]
    public void IntErrors(string text, string err)
    {
        var e = Fails("create", "--preserve-fds=" + text, "ID");
        Assert.Equal("invalid value \"" + text + "\" for flag -preserve-fds: " + err, e.Message);
    }

    [Theory]
    [InlineData("5s", 5000)]
    [InlineData("1m30s", 90000)]
    [InlineData("250ms", 250)]
    [InlineData("1.5s", 1500)]
    [InlineData("0", 0)]
    [InlineData("1h", 3600000)]
    [InlineData("2000us", 2)]
    [InlineData("2000\u00b5s", 2)]
    [InlineData(".5s", 500)]
    public void DurationParsesLikeGo(string text, int expectedMs)
    {
        var a = P("events", "--interval", text, "ID");
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), a.GetDuration("interval"));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("5x")]
    [InlineData("")]
    [InlineData(".s")]
    [InlineData("1e3s")]
    public void DurationErrors(string text)
    {
        var e = Fails("events", "--interval=" + text, "ID");
        Assert.Equal("invalid value \"" + text + "\" for flag -interval: parse error", e.Message);
    }

    [Fact]
    public void EventsDefaults()
    {
        var a = P("events", "--stats", "ID");
        Assert.Equal(TimeSpan.FromSeconds(5), a.GetDuration("interval"));
        Assert.True(a.GetBool("stats"));
    }

    [Fact]
    public void CheckpointStatusFdDefaultsToMinusOne()
    {
        var a = P("checkpoint", "ID");
        Assert.Equal(-1, a.GetInt("status-fd"));
        Assert.Equal(3, P("checkpoint", "--status-fd", "3", "ID").GetInt("status-fd"));
    }

    // ---- other flag errors ----

    [Theory]
    [InlineData(new[] { "run", "--bogus", "ID" }, "flag provided but not defined: -bogus")]
    [InlineData(new[] { "run", "-bogus=1", "ID" }, "flag provided but not defined: -bogus")]
    [InlineData(new[] { "delete", "-d", "ID" }, "flag provided but not defined: -d")]
    [InlineData(new[] { "list", "--root", "x" }, "flag provided but not defined: -root")]
    [InlineData(new[] { "run", "---x", "ID" }, "bad flag syntax: ---x")]
    [InlineData(new[] { "run", "-=x", "ID" }, "bad flag syntax: -=x")]
    [InlineData(new[] { "list", "-f" }, "flag needs an argument: -f")]
    [InlineData(new[] { "exec", "-g", "x", "ID", "sh" }, "invalid value \"x\" for flag -g: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData(new[] { "exec", "-e", "A", "--env", "B", "ID", "sh" }, "Cannot use two forms of the same flag: e env")]
    [InlineData(new[] { "run", "-d", "--detach", "ID" }, "Cannot use two forms of the same flag: d detach")]
    [InlineData(new[] { "delete", "--force", "-f", "ID" }, "Cannot use two forms of the same flag: f force")]
    public void VerbFlagErrors(string[] argv, string message)
    {
        var e = Fails(argv);
        Assert.Equal(message, e.Message);
        Assert.Equal(UsageErrorKind.VerbFlag, e.Kind);
        Assert.Equal(argv[0], e.Verb);
        Assert.Equal(1, e.ExitCode);
        Assert.Equal("Incorrect Usage: " + message + "\n\n" + HelpText.ForVerb(argv[0]), e.FormatStdout());
    }

    [Fact]
    public void UnknownFlagAfterPositionalBecomesPositional()
    {
        // urfave >= 1.22.6 only moves known flags; `runc delete ID --bogus` is an arity error.
        var a = P("delete", "ID", "--bogus");
        Assert.Equal(new[] { "ID", "--bogus" }, a.Positionals);
        var e = Assert.Throws<UsageException>(() => VerbTable.CheckArity(a));
        Assert.Equal("runcs: \"delete\" requires exactly 1 argument(s)", e.Message);
    }

    [Theory]
    [InlineData(new[] { "-x" }, "flag provided but not defined: -x")]
    [InlineData(new[] { "--root" }, "flag needs an argument: -root")]
    [InlineData(new[] { "--bundle", "b", "create", "ID" }, "flag provided but not defined: -bundle")]
    [InlineData(new[] { "--debug=maybe" }, "invalid boolean value \"maybe\" for -debug: parse error")]
    public void GlobalFlagErrors(string[] argv, string message)
    {
        var e = Fails(argv);
        Assert.Equal(message, e.Message);
        Assert.Equal(UsageErrorKind.GlobalFlag, e.Kind);
        Assert.Equal("Incorrect Usage. " + message + "\n\n" + HelpText.Main(), e.FormatStdout());
    }

    [Fact]
    public void GlobalTwoForms()
    {
        var e = Fails("-h", "--help");
        Assert.Equal("Cannot use two forms of the same flag: h help", e.Message);
        Assert.Equal(UsageErrorKind.GlobalFlagForms, e.Kind);
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("JSON")]
    public void InvalidLogFormat(string format)
    {
        var e = Fails("--log-format", format, "list");
        Assert.Equal("invalid log-format: " + format, e.Message);
        Assert.Equal(UsageErrorKind.Plain, e.Kind);
        Assert.Equal(1, e.ExitCode);
        Assert.Equal(string.Empty, e.FormatStdout());
    }

    [Fact]
    public void InvalidLogFormatIgnoredForHelp()
    {
        Assert.True(P("--log-format=xml", "--help").HelpRequested);
    }

    [Fact]
    public void InvalidLogFormatRejectedBeforeUnknownVerb()
    {
        Assert.Equal("invalid log-format: xml", Fails("--log-format=xml", "nosuch").Message);
    }

    [Fact]
    public void EmptyLogFormatMeansText()
    {
        Assert.Equal("text", P("--log-format=", "list").Global.LogFormat);
    }

    [Fact]
    public void AllGlobalFlags()
    {
        var a = P("-debug", "--log=/l", "-log-format", "json", "--root=/r", "-criu", "/usr/sbin/criu",
            "--systemd-cgroup=true", "--rootless", "true", "list");
        Assert.True(a.Global.Debug);
        Assert.Equal("/l", a.Global.Log);
        Assert.Equal("json", a.Global.LogFormat);
        Assert.Equal("/r", a.Global.Root);
        Assert.Equal("/usr/sbin/criu", a.Global.Criu);
        Assert.True(a.Global.SystemdCgroup);
        Assert.Equal("true", a.Global.Rootless);
        Assert.Equal("list", a.Verb);
    }

    [Fact]
    public void GlobalFlagsStopAtVerb()
    {
        var a = P("--debug", "list", "-q");
        Assert.True(a.Global.Debug);
        Assert.True(a.GetBool("quiet"));
    }

    // ---- "--" ----

    [Fact]
    public void DoubleDashEndsFlags()
    {
        var a = P("delete", "--", "--force");
        Assert.False(a.Has("force"));
        Assert.Equal(new[] { "--force" }, a.Positionals);
    }

    [Fact]
    public void DoubleDashAfterPositionalIsDropped()
    {
        var a = P("state", "ID", "--", "-x");
        Assert.Equal(new[] { "ID", "-x" }, a.Positionals);
    }

    [Fact]
    public void DoubleDashAsStringFlagValue()
    {
        var a = P("create", "--bundle", "--", "ID");
        Assert.Equal("--", a.GetString("bundle"));
        Assert.Equal(new[] { "ID" }, a.Positionals);
    }

    [Fact]
    public void DoubleDashGlobal()
    {
        var a = P("--debug", "--", "list");
        Assert.True(a.Global.Debug);
        Assert.Equal("list", a.Verb);
    }

    [Fact]
    public void ExecDoubleDashBeforeId()
    {
        var a = P("exec", "-t", "--", "ID", "ls", "--", "x");
        Assert.True(a.GetBool("tty"));
        Assert.Equal(new[] { "ID", "ls", "--", "x" }, a.Positionals);
    }

    [Fact]
    public void ExecDoubleDashAfterIdIsPartOfCommand()
    {
        // Go's flag parsing stopped at ID, so runc passes "--" on as the command.
        var a = P("exec", "ID", "--", "ls");
        Assert.Equal(new[] { "ID", "--", "ls" }, a.Positionals);
    }

    [Fact]
    public void SingleDashIsPositional()
    {
        var a = P("state", "-");
        Assert.Equal(new[] { "-" }, a.Positionals);
    }

    // ---- init ----

    [Fact]
    public void InitTakesEverythingVerbatim()
    {
        var a = P("init", "--foo", "-x");
        Assert.Equal("init", a.Verb);
        Assert.False(a.HelpRequested);
        Assert.Equal(new[] { "--foo", "-x" }, a.Positionals);
        VerbTable.CheckArity(a);
        Assert.Equal("/run/runcs", a.Global.Root);
    }

    [Fact]
    public void InitAfterGlobalFlags()
    {
        var a = P("--debug", "init");
        Assert.Equal("init", a.Verb);
        Assert.True(a.Global.Debug);
        Assert.Empty(a.Positionals);
    }

    // ---- accessor misuse is a programming error ----

    [Fact]
    public void UndefinedFlagNameThrows()
    {
        var a = P("create", "ID");
        Assert.Throws<InvalidOperationException>(() => a.GetString("bundel"));
        Assert.Throws<InvalidOperationException>(() => a.Has("detach"));
        Assert.Throws<InvalidOperationException>(() => a.GetString("b"));       // alias, not long name
        Assert.Throws<InvalidOperationException>(() => a.GetBool("bundle"));    // wrong type
        Assert.Throws<InvalidOperationException>(() => a.GetInt("pid-file"));
        Assert.Throws<InvalidOperationException>(() => a.GetStrings("bundle"));
        Assert.Throws<InvalidOperationException>(() => a.GetString("root"));    // global: use Global
    }

    [Fact]
    public void NoVerbAccessThrows()
    {
        var a = P("--version");
        Assert.Throws<InvalidOperationException>(() => a.GetBool("detach"));
    }

    [Fact]
    public void StringFlagWithoutDefaultIsNull()
    {
        var a = P("create", "ID");
        Assert.Null(a.GetString("bundle"));
        Assert.Null(a.GetString("pid-file"));
        Assert.Equal("table", P("list").GetString("format"));
    }

    [Fact]
    public void LastStringValueWins()
    {
        Assert.Equal("2", P("create", "-b", "1", "-b", "2", "ID").GetString("bundle"));
    }

    [Fact]
    public void GetStringsReturnsSnapshot()
    {
        var a = P("exec", "-e", "A", "ID", "sh");
        var env = a.GetStrings("env");
        Assert.Single(env);
        Assert.Empty(a.GetStrings("cap"));
    }
}
