using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;

namespace OciRuntime.Tests.Integration.Lifecycle;

/// <summary>Refusals and idempotent cases of the lifecycle verbs (exit codes and wording clients match).</summary>
[Trait("Category", "Integration")]
public sealed class ErrorCaseTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public ErrorCaseTests(Runcs rt) => _rt = rt;

    private string RunningContainer(Bundle b, string prefix)
    {
        var id = _rt.NewId(prefix);
        _rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        Assert.Equal("running", _rt.Status(id));
        return id;
    }

    private string StoppedContainer(Bundle b, string prefix)
    {
        var id = _rt.NewId(prefix);
        _rt.Run("create", "--bundle", b.Dir, id).Ok();
        _rt.Run("start", id).Ok();
        Assert.True(Proc.WaitUntil(() => _rt.Status(id) == "stopped"), "container should stop by itself");
        return id;
    }

    [Fact]
    public void StartTwice_SecondFailsWithOneLine()
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = RunningContainer(b, "start2");
        _rt.Run("start", id).FailsWithOneLine();
        Assert.Equal("running", _rt.Status(id));
        _rt.Run("delete", "--force", id).Ok();
    }

    [Fact]
    public void StartStopped_Fails()
    {
        using var b = Bundle.Create("true");
        var id = StoppedContainer(b, "startst");
        _rt.Run("start", id).FailsWithOneLine();
        Assert.Equal("stopped", _rt.Status(id));
        _rt.Run("delete", id).Ok();
    }

    [Fact]
    public void DeleteRunning_WithoutForce_Refused_WithForce_Succeeds()
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = RunningContainer(b, "delrun");
        var pid = _rt.Pid(id);

        var line = _rt.Run("delete", id).FailsWithOneLine($"cannot delete container {id} that is not stopped");
        Assert.Contains("running", line);
        Assert.Equal("running", _rt.Status(id));
        Assert.True(Proc.IsAlive(pid));

        _rt.Run("delete", "--force", id).Ok();
        Assert.Null(_rt.Status(id));
        Assert.True(Proc.WaitUntil(() => !Proc.IsAlive(pid)), "delete --force must kill init");
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)));
    }

    [Fact]
    public void DeleteForce_UnknownId_ExitsZero()
    {
        var r = _rt.Run("delete", "--force", "no-such-" + Guid.NewGuid().ToString("N")[..8]).Ok();
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Delete_UnknownId_WithoutForce_DoesNotExist()
    {
        _rt.Run("delete", "no-such-" + Guid.NewGuid().ToString("N")[..8]).FailsWithOneLine("container does not exist");
    }

    [Fact]
    public void KillAll_OnStoppedContainer_ExitsZero_KillWithoutAll_NotRunning()
    {
        using var b = Bundle.Create("true");
        var id = StoppedContainer(b, "killst");
        _rt.Run("kill", "--all", id, "9").Ok();
        _rt.Run("kill", id, "9").FailsWithOneLine("container not running");
        _rt.Run("kill", id).FailsWithOneLine("container not running");
        Assert.Equal("stopped", _rt.Status(id));
        _rt.Run("delete", id).Ok();
    }

    [Fact]
    public void State_UnknownId_DoesNotExist()
    {
        _rt.Run("state", "no-such-" + Guid.NewGuid().ToString("N")[..8]).FailsWithOneLine("container does not exist");
    }

    [Fact]
    public void Kill_UnknownId_DoesNotExist()
    {
        _rt.Run("kill", "no-such-" + Guid.NewGuid().ToString("N")[..8], "9").FailsWithOneLine("does not exist");
    }

    [Fact]
    public void Kill_InvalidSignal_Fails()
    {
        using var b = Bundle.Create("sleep", "1000");
        var id = RunningContainer(b, "badsig");
        var r = _rt.Run("kill", id, "NOTASIGNAL");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("running", _rt.Status(id));
        _rt.Run("delete", "--force", id).Ok();
    }
}

/// <summary>
/// Bad input to create: one line on stderr, exit 1, no state directory under --root and no
/// process of the container. Each case uses its own fresh root so "nothing left" is exact.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests
{
    /// <summary>A marker in process.args so a leftover container process can be found in /proc.</summary>
    private static string Marker() => "9" + Random.Shared.Next(100000, 999999) + "1";

    private static void AssertNoProcessWith(string marker)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, out _)) continue;
            string cmd;
            try { cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            Assert.False(cmd.Contains(marker, StringComparison.Ordinal), $"process {name} left behind: {cmd}");
        }
    }

    private static void AssertRootEmpty(Runcs rt)
    {
        if (!Directory.Exists(rt.Root)) return;
        var left = Directory.GetFileSystemEntries(rt.Root);
        Assert.True(left.Length == 0, "state left under --root: " + string.Join(", ", left));
    }

    private static string CreateFails(Action<Bundle> breakIt, string? contains, string? id = null)
    {
        var marker = Marker();
        using var rt = new Runcs();
        using var b = Bundle.Create("sleep", marker);
        breakIt(b);
        id ??= rt.NewId("bad");
        var r = rt.Run("create", "--bundle", b.Dir, id);
        var line = r.FailsWithOneLine(contains);
        AssertRootEmpty(rt);
        // run must fail the same way and leave nothing either.
        var r2 = rt.Run("run", "-d", "--bundle", b.Dir, id);
        r2.FailsWithOneLine(contains);
        AssertRootEmpty(rt);
        AssertNoProcessWith(marker);
        return line;
    }

    [Fact]
    public void MalformedConfig_MessageHasLineAndColumn()
    {
        var line = CreateFails(b =>
            File.WriteAllText(b.ConfigPath, "{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {\n    \"args\": [\"sh\"]\n    \"cwd\": \"/\"\n  }\n}\n"),
            null);
        Assert.Matches(@"(?i)line\D{0,3}5", line);
        Assert.Matches(@"(?i)col(umn)?\D{0,3}\d+", line);
    }

    [Fact]
    public void UnknownNamespaceType_Refused()
    {
        var line = CreateFails(b => b.EditConfig(c =>
            c["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "netw" })), "netw");
        Assert.DoesNotContain("\n", line);
    }

    [Fact]
    public void MissingRootfs_Refused()
    {
        CreateFails(b => Directory.Delete(b.Rootfs, recursive: true), null);
    }

    [Fact]
    public void RootPathNotADirectory_Refused()
    {
        CreateFails(b => b.EditConfig(c => c["root"]!["path"] = "config.json"), null);
    }

    [Fact]
    public void MissingConfig_Refused()
    {
        CreateFails(b => File.Delete(b.ConfigPath), "config.json");
    }

    [Fact]
    public void MissingExecutable_Refused_WithRuncWording()
    {
        // podman maps "no such file or directory" / "executable file not found" to 127.
        var marker = Marker();
        using var rt = new Runcs();
        using var b = Bundle.Create("/bin/no-such-program-" + marker);
        var id = rt.NewId("noexe");
        var r = rt.Run("run", "--bundle", b.Dir, id);
        Assert.NotEqual(0, r.ExitCode);
        Assert.True(r.Stderr.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase)
                    || r.Stderr.Contains("executable file not found", StringComparison.Ordinal), r.ToString());
        AssertRootEmpty(rt);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a\u0001b")]
    [InlineData("a\nb")]
    [InlineData("")]
    public void InvalidId_Refused(string id)
    {
        CreateFails(_ => { }, null, id);
    }

    [Fact]
    public void DuplicateId_Refused_FirstContainerUntouched()
    {
        var marker = Marker();
        using var rt = new Runcs();
        using var b = Bundle.Create("sleep", marker);
        var id = rt.NewId("dup");
        rt.Run("run", "-d", "--bundle", b.Dir, id).Ok();
        var pid = rt.Pid(id);

        rt.Run("create", "--bundle", b.Dir, id).FailsWithOneLine();
        rt.Run("run", "-d", "--bundle", b.Dir, id).FailsWithOneLine();

        Assert.Equal("running", rt.Status(id));
        Assert.Equal(pid, rt.Pid(id));
        Assert.Single(Directory.GetFileSystemEntries(rt.Root));
        var count = Directory.EnumerateDirectories("/proc").Count(d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(marker, StringComparison.Ordinal); }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        });
        Assert.Equal(1, count);
        rt.Run("delete", "--force", id).Ok();
    }

    [Fact]
    public void UnknownFlag_Fails()
    {
        using var rt = new Runcs();
        var r = rt.Run("create", "--no-such-flag", "x");
        Assert.NotEqual(0, r.ExitCode);
        AssertRootEmpty(rt);
    }
}
