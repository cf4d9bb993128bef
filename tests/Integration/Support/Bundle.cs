using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OciRuntime.Tests.Integration.Support;

/// <summary>
/// An OCI bundle in a unique directory under /tmp, made by <c>bundles/make-bundle.sh DIR ARGS...</c>
/// (busybox rootfs, the config.json of <c>runcs spec</c> with <c>process.args = ARGS</c> and
/// <c>terminal: false</c>). Dispose removes the directory.
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

    /// <summary>Makes a bundle whose process runs <paramref name="args"/> (default: sh).</summary>
    public static Bundle Create(params string[] args)
    {
        var dir = Path.Combine("/tmp", "runcs-it-bundle-" + Guid.NewGuid().ToString("N")[..12]);
        var psi = new ProcessStartInfo("/bin/bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Paths.BundleScript);
        psi.ArgumentList.Add(dir);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The script runs `spec` with the runcs under test unless told otherwise.
        psi.Environment["RUNTIME_FOR_SPEC"] = Environment.GetEnvironmentVariable("RUNTIME_FOR_SPEC") is { Length: > 0 } s ? s : Paths.RuncsBin;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(true);
            throw new TimeoutException("make-bundle.sh did not finish");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"make-bundle.sh {dir} failed ({p.ExitCode}): {output}{err.Result}");
        return new Bundle(dir);
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
