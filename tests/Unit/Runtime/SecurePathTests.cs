using System.Runtime.Versioning;
using Runcs.Init;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>SecurePath.Join with an in-memory set of symlinks (full host path → link target).</summary>
[SupportedOSPlatform("linux")]
public class SecurePathTests
{
    private const string Root = "/var/lib/rootfs";

    private static string J(string path, Dictionary<string, string>? links = null, string root = Root)
    {
        links ??= new();
        return SecurePath.Join(root, path, p => links.TryGetValue(p, out var t) ? t : null);
    }

    [Theory]
    [InlineData("/etc/passwd", Root + "/etc/passwd")]
    [InlineData("etc/passwd", Root + "/etc/passwd")]
    [InlineData("//etc///passwd/", Root + "/etc/passwd")]
    [InlineData("/./etc/./passwd", Root + "/etc/passwd")]
    [InlineData("/a/b/../c", Root + "/a/c")]
    [InlineData("/a/b/../../c", Root + "/c")]
    public void PlainPaths(string path, string expected) => Assert.Equal(expected, J(path));

    [Theory]
    [InlineData("/..")]
    [InlineData("/../../..")]
    [InlineData("../../../")]
    public void DotDotNeverLeavesRoot(string path) => Assert.Equal(Root, J(path).TrimEnd('/'));

    [Theory]
    [InlineData("../../../etc/shadow", Root + "/etc/shadow")]
    [InlineData("/a/../../../../etc", Root + "/etc")]
    [InlineData("/proc/../../../../../dev/sda", Root + "/dev/sda")]
    public void EscapesStayInside(string path, string expected) => Assert.Equal(expected, J(path));

    [Fact]
    public void TrailingSlashOnRootIsIgnored() => Assert.Equal(Root + "/etc", J("/etc", root: Root + "/"));

    [Fact]
    public void ReadLinkSeesHostPathsComponentByComponent()
    {
        var asked = new List<string>();
        SecurePath.Join(Root, "/a/b/c", p => { asked.Add(p); return null; });
        Assert.Equal(new[] { Root + "/a", Root + "/a/b", Root + "/a/b/c" }, asked);
    }

    [Fact]
    public void AbsoluteSymlinkIsReRooted()
    {
        var links = new Dictionary<string, string> { [Root + "/etc/localtime"] = "/usr/share/zoneinfo/UTC" };
        Assert.Equal(Root + "/usr/share/zoneinfo/UTC", J("/etc/localtime", links));
    }

    [Fact]
    public void AbsoluteSymlinkInTheMiddle()
    {
        var links = new Dictionary<string, string> { [Root + "/var/run"] = "/run" };
        Assert.Equal(Root + "/run/lock/x", J("/var/run/lock/x", links));
    }

    [Fact]
    public void RelativeSymlinkIsRelativeToItsDirectory()
    {
        var links = new Dictionary<string, string> { [Root + "/usr/lib/libfoo.so"] = "libfoo.so.1" };
        Assert.Equal(Root + "/usr/lib/libfoo.so.1", J("/usr/lib/libfoo.so", links));
        var up = new Dictionary<string, string> { [Root + "/bin"] = "usr/bin", [Root + "/usr/bin/sh"] = "../../bin/dash" };
        // /bin → /usr/bin; /usr/bin/sh → ../../bin/dash = /bin/dash → /usr/bin/dash
        Assert.Equal(Root + "/usr/bin/dash", J("/bin/sh", up));
    }

    [Fact]
    public void ChainOfLinks()
    {
        var links = new Dictionary<string, string>
        {
            [Root + "/a"] = "b",
            [Root + "/b"] = "/c/d",
            [Root + "/c/d"] = "../e",
            [Root + "/e"] = "/f",
        };
        Assert.Equal(Root + "/f/file", J("/a/file", links));
    }

    [Fact]
    public void RelativeLinkWithDotDotCannotEscape()
    {
        var links = new Dictionary<string, string> { [Root + "/x/evil"] = "../../../../../../etc" };
        Assert.Equal(Root + "/etc/passwd", J("/x/evil/passwd", links));
    }

    [Fact]
    public void AbsoluteLinkToHostDirectoryIsReRooted()
    {
        var links = new Dictionary<string, string> { [Root + "/mnt/host"] = "/etc" };
        Assert.Equal(Root + "/etc/shadow", J("/mnt/host/shadow", links));
    }

    [Fact]
    public void LinkToSlashIsTheRoot()
    {
        var links = new Dictionary<string, string> { [Root + "/r"] = "/" };
        Assert.Equal(Root, J("/r", links).TrimEnd('/'));
        Assert.Equal(Root + "/etc", J("/r/etc", links));
        Assert.Equal(Root + "/etc", J("/r/../../etc", links));
    }

    [Fact]
    public void DotDotAfterSymlinkAppliesToTheTarget()
    {
        // Like the kernel: "link/.." is the parent of what link points to, not the link's directory.
        var links = new Dictionary<string, string> { [Root + "/a/link"] = "/x/y" };
        Assert.Equal(Root + "/x/z", J("/a/link/../z", links));
    }

    [Fact]
    public void SelfLoopThrows()
    {
        var links = new Dictionary<string, string> { [Root + "/loop"] = "loop" };
        var e = Assert.Throws<IOException>(() => J("/loop", links));
        Assert.Contains("too many levels of symbolic links", e.Message);
    }

    [Fact]
    public void TwoLinkLoopThrows()
    {
        var links = new Dictionary<string, string> { [Root + "/a"] = "/b", [Root + "/b"] = "/a" };
        Assert.Throws<IOException>(() => J("/a/x", links));
    }

    [Fact]
    public void LoopStopsAfter255Links()
    {
        int calls = 0;
        Assert.Throws<IOException>(() => SecurePath.Join(Root, "/l", p => { calls++; return "/l"; }));
        Assert.Equal(256, calls);
    }

    private static Dictionary<string, string> Chain(int n)
    {
        // /l1 → /l2 → ... → /lN → /end : N links followed.
        var links = new Dictionary<string, string>();
        for (int i = 1; i <= n; i++) links[$"{Root}/l{i}"] = i == n ? "/end" : $"/l{i + 1}";
        return links;
    }

    [Fact]
    public void ChainOf255LinksResolves() => Assert.Equal(Root + "/end", J("/l1", Chain(255)));

    [Fact]
    public void ChainOf256LinksThrows() => Assert.Throws<IOException>(() => J("/l1", Chain(256)));

    [Fact]
    public void RealFileSystem()
    {
        // The default reader follows real symlinks in a temp directory (no privileges needed).
        var root = Path.Combine(Path.GetTempPath(), "runcs-securepath-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "usr", "bin"));
            File.CreateSymbolicLink(Path.Combine(root, "bin"), "/usr/bin");
            File.CreateSymbolicLink(Path.Combine(root, "up"), "../../../../..");
            Assert.Equal(root + "/usr/bin/sh", SecurePath.Join(root, "/bin/sh"));
            Assert.Equal(root + "/etc", SecurePath.Join(root, "/up/etc"));
            Assert.Equal(root + "/nonexistent/x", SecurePath.Join(root, "/nonexistent/x"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
