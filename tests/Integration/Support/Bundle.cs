using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OciRuntime.Tests.Integration.Support;

/// <summary>
/// An OCI bundle in a unique directory under /tmp, as <c>bundles/make-bundle.sh DIR ARGS...</c>
/// makes it (busybox rootfs, the config.json of <c>runcs spec</c> with <c>process.args = ARGS</c>
/// and <c>terminal: false</c>; note <c>root.readonly</c> is true, see <see cref="Writable"/>).
/// Dispose removes the directory.
/// <example><code>
/// using var b = Bundle.Create("sh", "-c", "echo hi > /tmp/out");
/// b.EditConfig(c => c["process"]!["cwd"] = "/tmp");
/// </code></example>
/// </summary>
public sealed class Bundle : IDisposable
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    private Bundle(string dir) => Dir = dir;

    /// <summary>The bundle directory (absolute).</summary>
    public string Dir { get; }

    /// <summary><c>DIR/config.json</c>.</summary>
    public string ConfigPath => Path.Combine(Dir, "config.json");

    /// <summary><c>DIR/rootfs</c>.</summary>
    public string Rootfs => Path.Combine(Dir, "rootfs");

    /// <summary>
    /// Makes a bundle whose process runs <paramref name="args"/> (default: sh): a copy
    /// (<c>cp -a</c>) of a template that make-bundle.sh made once per test run, with
    /// <c>process.args</c> set. Set RUNCS_IT_BUNDLE_PER_TEST=1 to run the script for every bundle.
    /// </summary>
    public static Bundle Create(params string[] args)
    {
        var dir = Path.Combine("/tmp", "runcs-it-bundle-" + Guid.NewGuid().ToString("N")[..12]);
        if (Environment.GetEnvironmentVariable("RUNCS_IT_BUNDLE_PER_TEST") == "1")
        {
            RunScript(dir, args);
            return new Bundle(dir);
        }
        var b = new Bundle(dir);
        try
        {
            Exec("cp", "-a", s_template.Value, dir);
            if (args.Length > 0) b.SetArgs(args);
        }
        catch
        {
            b.Dispose();
            throw;
        }
        return b;
    }

    private static readonly Lazy<string> s_template = new(() =>
    {
        var dir = Path.Combine("/tmp", $"runcs-it-template-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        RunScript(dir, ["sh"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return dir;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static void RunScript(string dir, string[] args)
    {
        // The script runs `spec` with the runcs under test unless told otherwise.
        var env = Environment.GetEnvironmentVariable("RUNTIME_FOR_SPEC") is { Length: > 0 } s ? s : Paths.RuncsBin;
        try
        {
            Exec("/bin/bash", [Paths.BundleScript, dir, .. args], ("RUNTIME_FOR_SPEC", env));
        }
        catch
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            throw;
        }
    }

    private static void Exec(string file, params string[] args) => Exec(file, args, default);

    private static void Exec(string file, string[] args, (string Key, string Value) env)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env.Key != null) psi.Environment[env.Key] = env.Value;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {output}{err.Result}");
    }

    /// <summary>Parses config.json.</summary>
    public JsonObject ReadConfig() => JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();

    /// <summary>Writes config.json (indented).</summary>
    public void WriteConfig(JsonNode config) => File.WriteAllText(ConfigPath, config.ToJsonString(s_indented));

    /// <summary>Loads config.json, lets <paramref name="edit"/> change it, writes it back.</summary>
    public Bundle EditConfig(Action<JsonObject> edit)
    {
        var c = ReadConfig();
        edit(c);
        WriteConfig(c);
        return this;
    }

    /// <summary>Sets <c>process.args</c>.</summary>
    public Bundle SetArgs(params string[] args) =>
        EditConfig(c => c["process"]!["args"] = new JsonArray(args.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()));

    /// <summary>
    /// Makes the rootfs writable (<c>root.readonly = false</c>; the spec default is read-only),
    /// for containers that leave files for the test to read, e.g. under /tmp.
    /// </summary>
    public Bundle Writable() => EditConfig(c => c["root"]!["readonly"] = false);

    /// <summary>Removes a namespace type (e.g. "pid") from <c>linux.namespaces</c>.</summary>
    public Bundle WithoutNamespace(string type) => EditConfig(c =>
    {
        var ns = c["linux"]!["namespaces"]!.AsArray();
        foreach (var n in ns.Where(n => n?["type"]?.GetValue<string>() == type).ToList())
            ns.Remove(n);
    });

    /// <summary>A path inside the rootfs (host view), e.g. <c>RootfsPath("tmp/out")</c>.</summary>
    public string RootfsPath(string relative) => Path.Combine(Rootfs, relative.TrimStart('/'));

    /// <summary>Removes the bundle directory (best effort).</summary>
    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
