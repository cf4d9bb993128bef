using System.Runtime.Versioning;
using Runcs.Cli;

namespace OciRuntime.Tests.Unit.Cli;

/// <summary>
/// Every verb's flags, copied independently from `runc VERB --help` (runc 1.1.5) and runc's
/// source for types: each must parse in long, short, single-dash and "=" forms.
/// </summary>
// The runcs assembly is [SupportedOSPlatform("linux")].
[SupportedOSPlatform("linux")]
public class FlagTableTests
{
    // kind: b=bool s=string i=int d=duration l=string slice g=int64 slice; "long/alias"; "=default".
    private static readonly (string Verb, string Flags)[] Expected =
    {
        ("checkpoint", "s:image-path s:work-path s:parent-path b:leave-running b:tcp-established b:ext-unix-sk b:shell-job b:lazy-pages i:status-fd=-1 s:page-server b:file-locks b:pre-dump s:manage-cgroups-mode l:empty-ns b:auto-dedup"),
        ("create", "s:bundle/b s:console-socket s:pid-file b:no-pivot b:no-new-keyring i:preserve-fds=0"),
        ("delete", "b:force/f"),
        ("events", "d:interval=5s b:stats"),
        ("exec", "s:console-socket s:cwd l:env/e b:tty/t s:user/u g:additional-gids/g s:process/p b:detach/d s:pid-file s:process-label s:apparmor b:no-new-privs l:cap/c i:preserve-fds=0 l:cgroup b:ignore-paused"),
        ("kill", "b:all/a"),
        ("list", "s:format/f=table b:quiet/q"),
        ("pause", ""),
        ("ps", "s:format/f=table"),
        ("restore", "s:console-socket s:image-path s:work-path b:tcp-established b:ext-unix-sk b:shell-job b:file-locks s:manage-cgroups-mode s:bundle/b b:detach/d s:pid-file b:no-subreaper b:no-pivot l:empty-ns b:auto-dedup b:lazy-pages s:lsm-profile s:lsm-mount-context"),
        ("resume", ""),
        ("run", "s:bundle/b s:console-socket b:detach/d b:keep s:pid-file b:no-subreaper b:no-pivot b:no-new-keyring i:preserve-fds=0"),
        ("spec", "s:bundle/b b:rootless"),
        ("start", ""),
        ("state", ""),
        ("update", "s:resources/r i:blkio-weight=0 s:cpu-period s:cpu-quota s:cpu-share s:cpu-rt-period s:cpu-rt-runtime s:cpuset-cpus s:cpuset-mems s:kernel-memory s:kernel-memory-tcp s:memory s:memory-reservation s:memory-swap i:pids-limit=0 s:l3-cache-schema s:mem-bw-schema"),
        ("features", ""),
    };

    private sealed record Flag(char Kind, string Long, string? Alias, string? Default);

    private static IEnumerable<Flag> FlagsOf(string spec)
    {
        foreach (var item in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            char kind = item[0];
            string rest = item.Substring(2);
            string? def = null;
            int eq = rest.IndexOf('=');
            if (eq >= 0)
            {
                def = rest.Substring(eq + 1);
                rest = rest.Substring(0, eq);
            }

            var names = rest.Split('/');
            yield return new Flag(kind, names[0], names.Length > 1 ? names[1] : null, def);
        }
    }

    private static string[] PositionalsFor(string verb) => verb switch
    {
        "list" or "spec" or "features" => Array.Empty<string>(),
        _ => new[] { "ctr" },
    };

    public static IEnumerable<object[]> AllFlags()
    {
        foreach (var (verb, flags) in Expected)
        {
            foreach (var f in FlagsOf(flags))
            {
                yield return new object[] { verb, f.Kind.ToString(), f.Long, f.Alias ?? string.Empty };
            }
        }
    }

    public static IEnumerable<object[]> AllVerbs()
    {
        foreach (var (verb, _) in Expected)
        {
            yield return new object[] { verb };
        }
    }

    [Fact]
    public void TableCoversEveryRuncVerb()
    {
        var expected = Expected.Select(e => e.Verb).Concat(new[] { "init", "help" }).OrderBy(x => x, StringComparer.Ordinal);
        var actual = VerbTable.Verbs.Select(v => v.Name).OrderBy(x => x, StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        foreach (var v in expected)
        {
            Assert.True(VerbTable.IsKnownVerb(v), v);
        }

        Assert.True(VerbTable.IsKnownVerb("h"));
        Assert.False(VerbTable.IsKnownVerb("nosuch"));
        Assert.False(VerbTable.IsKnownVerb("Start"));
    }

    [Theory]
    [MemberData(nameof(AllVerbs))]
    public void VerbDefinesExactlyRuncsFlags(string verb)
    {
        var spec = VerbTable.Find(verb)!;
        var expected = FlagsOf(Expected.Single(e => e.Verb == verb).Flags).ToList();
        Assert.Equal(expected.Select(f => f.Long), spec.Flags.Select(f => f.Name));
        foreach (var (e, a) in expected.Zip(spec.Flags))
        {
            var kind = e.Kind switch
            {
                'b' => FlagKind.Bool,
                's' => FlagKind.String,
                'i' => FlagKind.Int,
                'd' => FlagKind.Duration,
                'l' => FlagKind.StringSlice,
                'g' => FlagKind.Int64Slice,
                _ => throw new InvalidOperationException(),
            };
            Assert.Equal(kind, a.Kind);
            var names = e.Alias is null ? new[] { e.Long } : new[] { e.Long, e.Alias };
            Assert.Equal(names, a.Names);
        }
    }

    [Theory]
    [MemberData(nameof(AllFlags))]
    public void FlagParsesInEveryForm(string verb, string kind, string longName, string alias)
    {
        var pos = PositionalsFor(verb);
        var names = alias.Length > 0 ? new[] { longName, alias } : new[] { longName };
        foreach (var name in names)
        {
            foreach (var dash in new[] { "-", "--" })
            {
                switch (kind[0])
                {
                    case 'b':
                        AssertBool(verb, longName, pos, new[] { dash + name }, true);
                        AssertBool(verb, longName, pos, new[] { dash + name + "=true" }, true);
                        AssertBool(verb, longName, pos, new[] { dash + name + "=1" }, true);
                        AssertBool(verb, longName, pos, new[] { dash + name + "=false" }, false);
                        AssertBool(verb, longName, pos, new[] { dash + name + "=F" }, false);
                        break;
                    case 's':
                        AssertString(verb, longName, pos, new[] { dash + name, "v-1" }, "v-1");
                        AssertString(verb, longName, pos, new[] { dash + name + "=v=2" }, "v=2");
                        AssertString(verb, longName, pos, new[] { dash + name, "-dashed" }, "-dashed");
                        AssertString(verb, longName, pos, new[] { dash + name + "=" }, string.Empty);
                        break;
                    case 'i':
                        AssertInt(verb, longName, pos, new[] { dash + name, "42" }, 42);
                        AssertInt(verb, longName, pos, new[] { dash + name + "=7" }, 7);
                        AssertInt(verb, longName, pos, new[] { dash + name, "-3" }, -3);
                        break;
                    case 'd':
                        AssertDuration(verb, longName, pos, new[] { dash + name, "2s" }, TimeSpan.FromSeconds(2));
                        AssertDuration(verb, longName, pos, new[] { dash + name + "=1m30s" }, TimeSpan.FromSeconds(90));
                        break;
                    case 'l':
                        AssertStrings(verb, longName, pos, new[] { dash + name, "A", dash + name + "=B=1" }, "A", "B=1");
                        break;
                    case 'g':
                        AssertStrings(verb, longName, pos, new[] { dash + name, "5", dash + name + "=6" }, "5", "6");
                        break;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllFlags))]
    public void FlagNotGivenYieldsRuncDefault(string verb, string kind, string longName, string alias)
    {
        _ = alias;
        var a = CommandLineParser.Parse(new[] { verb }.Concat(PositionalsFor(verb)).ToArray());
        Assert.False(a.Has(longName));
        var def = FlagsOf(Expected.Single(e => e.Verb == verb).Flags).Single(f => f.Long == longName).Default;
        switch (kind[0])
        {
            case 'b':
                Assert.False(a.GetBool(longName));
                break;
            case 's':
                Assert.Equal(def, a.GetString(longName));
                break;
            case 'i':
                Assert.Equal(int.Parse(def!, System.Globalization.CultureInfo.InvariantCulture), a.GetInt(longName));
                break;
            case 'd':
                Assert.Equal(TimeSpan.FromSeconds(5), a.GetDuration(longName));
                break;
            default:
                Assert.Empty(a.GetStrings(longName));
                break;
        }
    }

    [Theory]
    [MemberData(nameof(AllFlags))]
    public void FlagAfterPositionalIsReordered(string verb, string kind, string longName, string alias)
    {
        _ = alias;
        if (verb is "exec" or "ps")
        {
            return; // SkipArgReorder: covered in CommandLineParserTests
        }

        var pos = PositionalsFor(verb);
        string[] flagArgs = kind[0] switch
        {
            'b' => new[] { "--" + longName },
            'i' => new[] { "--" + longName, "9" },
            'd' => new[] { "--" + longName, "3s" },
            _ => new[] { "--" + longName, "x" },
        };
        var a = CommandLineParser.Parse(new[] { verb }.Concat(pos).Concat(flagArgs).ToArray());
        Assert.Equal(verb, a.Verb);
        Assert.True(a.Has(longName));
        Assert.Equal(pos, a.Positionals);
        VerbTable.CheckArity(a);
    }

    private static ParsedArgs ParseWith(string verb, string[] pos, string[] flagArgs)
    {
        var a = CommandLineParser.Parse(new[] { verb }.Concat(flagArgs).Concat(pos).ToArray());
        Assert.Equal(verb, a.Verb);
        Assert.False(a.HelpRequested);
        Assert.Equal(pos, a.Positionals);
        VerbTable.CheckArity(a);
        return a;
    }

    private static void AssertBool(string verb, string longName, string[] pos, string[] flagArgs, bool expected)
    {
        var a = ParseWith(verb, pos, flagArgs);
        Assert.True(a.Has(longName), string.Join(' ', flagArgs));
        Assert.Equal(expected, a.GetBool(longName));
    }

    private static void AssertString(string verb, string longName, string[] pos, string[] flagArgs, string expected)
    {
        var a = ParseWith(verb, pos, flagArgs);
        Assert.True(a.Has(longName), string.Join(' ', flagArgs));
        Assert.Equal(expected, a.GetString(longName));
    }

    private static void AssertInt(string verb, string longName, string[] pos, string[] flagArgs, int expected)
    {
        var a = ParseWith(verb, pos, flagArgs);
        Assert.True(a.Has(longName), string.Join(' ', flagArgs));
        Assert.Equal(expected, a.GetInt(longName));
    }

    private static void AssertDuration(string verb, string longName, string[] pos, string[] flagArgs, TimeSpan expected)
    {
        var a = ParseWith(verb, pos, flagArgs);
        Assert.True(a.Has(longName), string.Join(' ', flagArgs));
        Assert.Equal(expected, a.GetDuration(longName));
    }

    private static void AssertStrings(string verb, string longName, string[] pos, string[] flagArgs, params string[] expected)
    {
        var a = ParseWith(verb, pos, flagArgs);
        Assert.True(a.Has(longName), string.Join(' ', flagArgs));
        Assert.Equal(expected, a.GetStrings(longName));
    }
}
