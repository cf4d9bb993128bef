using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>
/// The same calls against runc (its own --root) and runcs on identical bundles: the
/// observable sequence (exit codes and status values) must be equal.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RuncComparisonTests
{
    private const string Trapping = "trap 'exit 0' TERM; sleep 1000 & wait";

    private static string StatusOrExit(Runcs rt, string id)
    {
        var r = rt.Run("state", id);
        return r.ExitCode == 0 ? JsonNode.Parse(r.Stdout)!["status"]!.GetValue<string>() : $"state-exit-{r.ExitCode}";
    }

    private static List<string> Lifecycle(string binary)
    {
        using var rt = new Runcs(binary);
        using var b = Bundle.Create("sh", "-c", Trapping);
        var id = rt.NewId("cmp");
        var seq = new List<string>();
        seq.Add("create=" + rt.Run("create", "--bundle", b.Dir, id).ExitCode);
        seq.Add(StatusOrExit(rt, id));
        seq.Add("start=" + rt.Run("start", id).ExitCode);
        seq.Add(StatusOrExit(rt, id));
        seq.Add("kill=" + rt.Run("kill", id).ExitCode);
        Proc.WaitUntil(() => StatusOrExit(rt, id) == "stopped");
        seq.Add(StatusOrExit(rt, id));
        seq.Add("delete=" + rt.Run("delete", id).ExitCode);
        seq.Add(StatusOrExit(rt, id));
        return seq;
    }

    [Fact]
    public void Lifecycle_SameAsRunc()
    {
        var runc = Lifecycle(Paths.RuncBin);
        // The sequence is what a client sees; check runc's first so a broken runc setup is obvious.
        Assert.Equal(["create=0", "created", "start=0", "running", "kill=0", "stopped", "delete=0", "state-exit-1"], runc);
        var runcs = Lifecycle(Paths.RuncsBin);
        Assert.Equal(runc, runcs);
    }

    private static List<string> EdgeCases(string binary)
    {
        using var rt = new Runcs(binary);
        using var sleeper = Bundle.Create("sleep", "1000");
        using var quick = Bundle.Create("true");
        var seq = new List<string>();

        var a = rt.NewId("twice");
        rt.Run("run", "-d", "--bundle", sleeper.Dir, a).Ok();
        seq.Add("start-running=" + rt.Run("start", a).ExitCode);
        seq.Add("delete-running=" + rt.Run("delete", a).ExitCode);
        seq.Add("delete-force-running=" + rt.Run("delete", "--force", a).ExitCode);

        var s = rt.NewId("stopped");
        rt.Run("create", "--bundle", quick.Dir, s).Ok();
        rt.Run("start", s).Ok();
        Proc.WaitUntil(() => StatusOrExit(rt, s) == "stopped");
        seq.Add("start-stopped=" + rt.Run("start", s).ExitCode);
        seq.Add("kill-stopped=" + rt.Run("kill", s, "9").ExitCode);
        seq.Add("kill-all-stopped=" + rt.Run("kill", "--all", s, "9").ExitCode);
        seq.Add("ps-stopped=" + rt.Run("ps", "--format", "json", s).ExitCode);
        seq.Add("pause-stopped=" + rt.Run("pause", s).ExitCode);
        seq.Add("delete-stopped=" + rt.Run("delete", s).ExitCode);

        var c = rt.NewId("created");
        rt.Run("create", "--bundle", sleeper.Dir, c).Ok();
        seq.Add("pause-created=" + rt.Run("pause", c).ExitCode);
        seq.Add("delete-created=" + rt.Run("delete", c).ExitCode);

        var unknown = "unknown-" + Guid.NewGuid().ToString("N")[..8];
        seq.Add("delete-force-unknown=" + rt.Run("delete", "--force", unknown).ExitCode);
        seq.Add("delete-unknown=" + rt.Run("delete", unknown).ExitCode);
        seq.Add("kill-unknown=" + rt.Run("kill", unknown, "9").ExitCode);
        seq.Add("state-unknown=" + rt.Run("state", unknown).ExitCode);
        seq.Add("start-unknown=" + rt.Run("start", unknown).ExitCode);
        seq.Add("dup-create=" + CreateTwice(rt, sleeper));
        return seq;
    }

    private static int CreateTwice(Runcs rt, Bundle b)
    {
        var id = rt.NewId("dup");
        rt.Run("create", "--bundle", b.Dir, id).Ok();
        var code = rt.Run("create", "--bundle", b.Dir, id).ExitCode;
        rt.Run("delete", "--force", id);
        return code;
    }

    [Fact]
    public void ErrorExitCodes_SameAsRunc()
    {
        var runc = EdgeCases(Paths.RuncBin);
        var runcs = EdgeCases(Paths.RuncsBin);
        Assert.Equal(runc, runcs);
    }
}
