using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>--log / --log-format json as containerd and podman parse it; stderr format; --root creation.</summary>
[Trait("Category", "Integration")]
public sealed partial class LoggingAndRootTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public LoggingAndRootTests(Runcs rt) => _rt = rt;

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex Rfc3339();

    public static TheoryData<string> FailingCalls => new() { "state", "kill", "start", "badconfig" };

    [Theory]
    [MemberData(nameof(FailingCalls))]
    public void JsonLog_FailingCall_AppendsExactlyOneErrorLine(string which)
    {
        using var b = Bundle.Create("sleep", "1000");
        var log = Path.Combine(b.Dir, "log.json");
        const string previous = "{\"level\":\"info\",\"msg\":\"from an earlier call\",\"time\":\"2020-01-01T00:00:00Z\"}\n";
        File.WriteAllText(log, previous);
        var unknown = "no-such-" + Guid.NewGuid().ToString("N")[..8];
        string[] verb = which switch
        {
            "state" => ["state", unknown],
            "kill" => ["kill", unknown, "9"],
            "start" => ["start", unknown],
            _ => ["create", "--bundle", b.Dir, _rt.NewId("logbad")],
        };
        if (which == "badconfig") File.WriteAllText(b.ConfigPath, "{ \"ociVersion\": ");

        var r = _rt.Run(["--log", log, "--log-format", "json", .. verb]);
        Assert.Equal(1, r.ExitCode);

        var text = File.ReadAllText(log);
        Assert.StartsWith(previous, text);
        var added = text[previous.Length..];
        var lines = added.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected exactly one appended line, got:\n" + added);
        Assert.EndsWith("\n", added);

        var obj = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal("error", obj["level"]!.GetValue<string>());
        var msg = obj["msg"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(msg));
        var time = obj["time"]!.GetValue<string>();
        Assert.Matches(Rfc3339(), time);
        Assert.True(DateTimeOffset.TryParse(time, out _), time);
        if (which is "state" or "kill" or "start")
            Assert.Contains("does not exist", msg);

        // podman falls back to stderr: the same message must be there as text.
        Assert.Contains(msg, r.Stderr);
    }

    [Fact]
    public void JsonLog_Equals_Form_Works()
    {
        using var b = Bundle.Create("true");
        var log = Path.Combine(b.Dir, "oci-log");
        var r = _rt.Run("--log-format=json", "--log=" + log, "state", "no-such-x");
        Assert.Equal(1, r.ExitCode);
        var lines = File.ReadAllLines(log);
        Assert.Single(lines);
        Assert.Equal("error", JsonNode.Parse(lines[0])!["level"]!.GetValue<string>());
    }

    [Fact]
    public void JsonLog_SuccessfulLifecycle_WritesOnlyJsonLines()
    {
        using var b = Bundle.Create("sleep", "1000");
        var log = Path.Combine(b.Dir, "log.json");
        var id = _rt.NewId("logok");
        string[] g = ["--log", log, "--log-format", "json"];
        _rt.Run([.. g, "create", "--bundle", b.Dir, id]).Ok();
        _rt.Run([.. g, "start", id]).Ok();
        _rt.Run([.. g, "kill", id, "9"]).Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        _rt.Run([.. g, "delete", id]).Ok();
        if (!File.Exists(log)) return;
        foreach (var line in File.ReadAllLines(log).Where(l => l.Length > 0))
        {
            var o = JsonNode.Parse(line)!.AsObject();
            Assert.Matches(Rfc3339(), o["time"]!.GetValue<string>());
            Assert.NotEqual("error", o["level"]!.GetValue<string>());
        }
    }

    [Fact]
    public void NoLog_StderrHasLogrusStyleLine()
    {
        var r = _rt.Run("state", "no-such-" + Guid.NewGuid().ToString("N")[..8]);
        var line = r.FailsWithOneLine();
        Assert.Matches(new Regex("^time=\"[^\"]+\" level=error msg=\"container does not exist\"$"), line);
        var time = Regex.Match(line, "^time=\"([^\"]+)\"").Groups[1].Value;
        Assert.Matches(Rfc3339(), time);
    }

    [Fact]
    public void NonexistentRoot_IsCreated_0700()
    {
        var top = "/run/runcs-test-" + Guid.NewGuid().ToString("N")[..12];
        var root = Path.Combine(top, "nested", "state");
        try
        {
            using var rt = new Runcs(null, root);
            using var b = Bundle.Create("sleep", "1000");
            var id = rt.NewId("mkroot");
            Assert.False(Directory.Exists(top));
            rt.Run("create", "--bundle", b.Dir, id).Ok();
            Assert.True(Directory.Exists(root));
            var mode = File.GetUnixFileMode(root);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
            Assert.Equal("created", rt.Status(id));
            rt.Run("delete", id).Ok();
        }
        finally
        {
            if (Directory.Exists(top)) Directory.Delete(top, recursive: true);
        }
    }

    [Fact]
    public void EmptyEnvironment_LikePodman_VerbsWork()
    {
        // podman runs kill/delete/state with only XDG_RUNTIME_DIR= (no PATH, no HOME).
        using var b = Bundle.Create("sleep", "1000");
        var id = _rt.NewId("noenv");
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var bare = new RunOptions { ClearEnv = true, Env = new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = "" } };
        var st = _rt.Run(bare, "state", id).Ok();
        Assert.Equal("running", JsonNode.Parse(st.Stdout)!["status"]!.GetValue<string>());
        _rt.Run(bare, "kill", id, "9").Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"));
        _rt.Run(bare, "delete", "--force", id).Ok();
        Assert.Null(_rt.Status(id));
    }
}
