namespace OciRuntime.Tests.Integration.Support;

/// <summary>
/// Where things are. The tests drive the binaries as black boxes; nothing here references
/// the runtime project.
/// <list type="bullet">
/// <item><c>RUNCS_BIN</c>: the runcs binary (default: repo root + <c>/bin/runcs</c>).</item>
/// <item><c>RUNCS_BUNDLE_SCRIPT</c>: make-bundle.sh (default: repo root + <c>/bundles/make-bundle.sh</c>).</item>
/// <item><c>RUNC_BIN</c>: runc for comparison tests (default <c>/usr/sbin/runc</c>).</item>
/// </list>
/// The repo root is found by walking up from the test assembly to the directory holding
/// <c>OciRuntime.sln</c>.
/// </summary>
public static class Paths
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    public static string RepoRoot => s_repoRoot.Value;

    public static string RuncsBin =>
        NonEmpty(Environment.GetEnvironmentVariable("RUNCS_BIN")) ?? Path.Combine(RepoRoot, "bin", "runcs");

    public static string BundleScript =>
        NonEmpty(Environment.GetEnvironmentVariable("RUNCS_BUNDLE_SCRIPT")) ?? Path.Combine(RepoRoot, "bundles", "make-bundle.sh");

    public static string RuncBin =>
        NonEmpty(Environment.GetEnvironmentVariable("RUNC_BIN")) ?? "/usr/sbin/runc";

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OciRuntime.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"cannot find the repo root (OciRuntime.sln) above {AppContext.BaseDirectory}; set RUNCS_BIN and RUNCS_BUNDLE_SCRIPT");
    }
}
