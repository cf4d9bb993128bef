using System.Runtime.Versioning;
using Runcs.Cli;

namespace OciRuntime.Tests.Unit.Cli;

// The runcs assembly is [SupportedOSPlatform("linux")].
[SupportedOSPlatform("linux")]
public class HelpTextTests
{
    public static IEnumerable<object[]> VisibleVerbs() =>
        VerbTable.Verbs.Where(v => !v.Hidden).Select(v => new object[] { v.Name });

    [Fact]
    public void MainMatchesRunc() => Assert.Equal(HelpGolden.Main, HelpText.Main(HelpGolden.Version));

    [Fact]
    public void MainWithoutVersionHasNoVersionSection()
    {
        var text = HelpText.Main();
        Assert.DoesNotContain("VERSION:", text, StringComparison.Ordinal);
        Assert.Equal(HelpText.Main(null), text);
        Assert.StartsWith("NAME:\n   runcs - Open Container Initiative runtime\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("exec")]
    [InlineData("kill")]
    [InlineData("list")]
    [InlineData("pause")]
    [InlineData("ps")]
    [InlineData("update")]
    [InlineData("features")]
    [InlineData("delete")]
    [InlineData("events")]
    public void VerbMatchesRunc(string verb)
    {
        var golden = verb switch
        {
            "create" => HelpGolden.Create,
            "exec" => HelpGolden.Exec,
            "kill" => HelpGolden.Kill,
            "list" => HelpGolden.List,
            "pause" => HelpGolden.Pause,
            "ps" => HelpGolden.Ps,
            "update" => HelpGolden.Update,
            "features" => HelpGolden.Features,
            "delete" => HelpGolden.Delete,
            "events" => HelpGolden.Events,
            _ => throw new ArgumentOutOfRangeException(nameof(verb)),
        };
        Assert.Equal(golden, HelpText.ForVerb(verb));
    }

    [Theory]
    [MemberData(nameof(VisibleVerbs))]
    public void VerbHelpNamesEveryFlag(string verb)
    {
        var text = HelpText.ForVerb(verb);
        Assert.StartsWith("NAME:\n   runcs " + verb + " - ", text, StringComparison.Ordinal);
        Assert.Contains("\nUSAGE:\n   runcs " + verb, text, StringComparison.Ordinal);
        Assert.DoesNotContain("runc ", text, StringComparison.Ordinal);
        var spec = VerbTable.Find(verb)!;
        foreach (var f in spec.Flags)
        {
            if (f.Hidden)
            {
                Assert.DoesNotContain("--" + f.Name + " ", text, StringComparison.Ordinal);
                continue;
            }

            string value = f.TakesValue ? " value" : string.Empty;
            Assert.Contains("   --" + f.Name + value, text, StringComparison.Ordinal);
            foreach (var alias in f.Names.Skip(1))
            {
                Assert.Contains(", -" + alias + value, text, StringComparison.Ordinal);
            }
        }

        if (spec.Flags.Any(f => !f.Hidden))
        {
            Assert.Contains("\nOPTIONS:\n", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("OPTIONS:", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UpdateHidesObsoleteFlags()
    {
        var text = HelpText.ForVerb("update");
        Assert.DoesNotContain("kernel-memory", text, StringComparison.Ordinal);
        Assert.Contains("--memory-swap value", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MainListsVisibleVerbsAndGlobalFlags()
    {
        var text = HelpText.Main();
        foreach (var v in VerbTable.Verbs.Where(v => !v.Hidden && v.Name != "help"))
        {
            Assert.Contains("\n   " + v.Name + " ", text, StringComparison.Ordinal);
        }

        Assert.Contains("\n   help, h ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   init ", text, StringComparison.Ordinal);
        foreach (var flag in new[] { "--debug", "--log value", "--log-format value", "--root value", "--criu value", "--systemd-cgroup", "--rootless value", "--help, -h", "--version, -v" })
        {
            Assert.Contains("\n   " + flag + " ", text, StringComparison.Ordinal);
        }

        Assert.Contains("(default: \"/run/runcs\")", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("h")]
    public void HelpOfHelp(string name)
    {
        var text = HelpText.ForVerb(name);
        Assert.Equal("NAME:\n   runcs help - Shows a list of commands or help for one command\n\nUSAGE:\n   runcs help [command]\n", text);
    }

    [Fact]
    public void UnknownVerbIsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => HelpText.ForVerb("nosuch"));
    }

    [Fact]
    public void VersionLine()
    {
        Assert.Equal("runcs version " + HelpGolden.Version + "\n", HelpText.Version(HelpGolden.Version));
    }
}

// The runcs assembly is [SupportedOSPlatform("linux")].
[SupportedOSPlatform("linux")]
public class ArityTests
{
    private static void Ok(params string[] argv) => VerbTable.CheckArity(CommandLineParser.Parse(argv));

    private static UsageException Bad(params string[] argv)
    {
        var a = CommandLineParser.Parse(argv);
        return Assert.Throws<UsageException>(() => VerbTable.CheckArity(a));
    }

    [Theory]
    [InlineData(new[] { "start" }, "runcs: \"start\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "start", "a", "b" }, "runcs: \"start\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "state" }, "runcs: \"state\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "create", "--bundle", "b" }, "runcs: \"create\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "run", "a", "b" }, "runcs: \"run\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "delete" }, "runcs: \"delete\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "pause" }, "runcs: \"pause\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "resume", "a", "b" }, "runcs: \"resume\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "events" }, "runcs: \"events\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "checkpoint" }, "runcs: \"checkpoint\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "restore" }, "runcs: \"restore\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "update" }, "runcs: \"update\" requires exactly 1 argument(s)")]
    [InlineData(new[] { "list", "x" }, "runcs: \"list\" requires exactly 0 argument(s)")]
    [InlineData(new[] { "spec", "x" }, "runcs: \"spec\" requires exactly 0 argument(s)")]
    [InlineData(new[] { "features", "x" }, "runcs: \"features\" requires exactly 0 argument(s)")]
    [InlineData(new[] { "kill" }, "runcs: \"kill\" requires a minimum of 1 argument(s)")]
    [InlineData(new[] { "kill", "a", "b", "c" }, "runcs: \"kill\" requires a maximum of 2 argument(s)")]
    [InlineData(new[] { "exec" }, "runcs: \"exec\" requires a minimum of 1 argument(s)")]
    [InlineData(new[] { "exec", "-t" }, "runcs: \"exec\" requires a minimum of 1 argument(s)")]
    [InlineData(new[] { "ps" }, "runcs: \"ps\" requires a minimum of 1 argument(s)")]
    public void WrongCounts(string[] argv, string message)
    {
        var e = Bad(argv);
        Assert.Equal(message, e.Message);
        Assert.Equal(UsageErrorKind.Arity, e.Kind);
        Assert.Equal(argv[0], e.Verb);
        Assert.Equal(1, e.ExitCode);
        Assert.Equal("Incorrect Usage.\n\n" + HelpText.ForVerb(argv[0]), e.FormatStdout());
    }

    [Theory]
    [InlineData("start a")]
    [InlineData("kill a")]
    [InlineData("kill a KILL")]
    [InlineData("exec a")]
    [InlineData("exec a b c d")]
    [InlineData("ps a -ef")]
    [InlineData("list")]
    [InlineData("spec")]
    [InlineData("features")]
    [InlineData("init x y")]
    [InlineData("start --help")]
    [InlineData("help start")]
    [InlineData("")]
    public void RightCounts(string commandLine) => Ok(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
