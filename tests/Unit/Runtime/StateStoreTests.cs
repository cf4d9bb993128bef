using System.Runtime.Versioning;
using Runcs.Container;
using Runcs.Native;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>The state directory, in a private temp directory: no root needed.</summary>
[SupportedOSPlatform("linux")]
public sealed class StateStoreTests : IDisposable
{
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string tmp;
    private readonly StateStore store;

    public StateStoreTests()
    {
        tmp = Path.Combine(Path.GetTempPath(), "runcs-statestore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tmp);
        store = new StateStore(Path.Combine(tmp, "root"));
    }

    public void Dispose() => Directory.Delete(tmp, recursive: true);

    private static ContainerState Sample(string id) => new()
    {
        Id = id,
        InitPid = 4242,
        InitStartTime = 123456789,
        Bundle = "/run/bundles/" + id,
        Rootfs = "/run/bundles/" + id + "/rootfs",
        Created = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567),
        Owner = "",
        Annotations = new() { ["org.example/key"] = "value \"quoted\"\n" },
        Namespaces = new()
        {
            ["pid"] = new NamespaceRecord { Inode = 4026532100, Device = 4, Origin = "created" },
            ["net"] = new NamespaceRecord { Inode = 4026532177, Device = 4, Origin = "joined", Path = "/run/netns/rx1" },
        },
        CgroupPaths = new() { ["memory"] = "/process_api/" + id, ["v2"] = "/" + id },
        SystemdCgroup = true,
        Rootless = false,
    };

    /// <summary>The process umask from /proc/self/status (no syscall that changes it).</summary>
    private static UnixFileMode Umask()
    {
        var line = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Umask:"));
        return (UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
    }

    [Fact]
    public void Paths()
    {
        Assert.Equal(tmp + "/root/c1", store.DirOf("c1"));
        Assert.Equal(tmp + "/root/c1/state.json", store.StateFile("c1"));
        Assert.Equal(tmp + "/root/c1/config.json", store.ConfigFile("c1"));
        Assert.Equal(tmp + "/root/c1/exec.fifo", store.FifoFile("c1"));
    }

    [Fact]
    public void CreateDirMakesRootAndPrivateDirectory()
    {
        Assert.False(Directory.Exists(store.Root));
        store.CreateDir("c1");
        Assert.True(Directory.Exists(store.DirOf("c1")));
        Assert.Equal(Mode0700, File.GetUnixFileMode(store.DirOf("c1")));
        Assert.Equal(Mode0700, File.GetUnixFileMode(store.Root) & ~Umask());
        Assert.False(store.Exists("c1")); // no state.json yet
    }

    [Fact]
    public void CreateDirTwiceFails()
    {
        store.CreateDir("c1");
        var e = Assert.Throws<RuncsException>(() => store.CreateDir("c1"));
        Assert.Equal("container with id exists: c1", e.Message);
    }

    [Fact]
    public void CreateDirOtherErrorIsASysException()
    {
        // A missing parent: mkdir fails with ENOENT, reported as a system error, not "exists".
        var e = Assert.Throws<SysException>(() => store.CreateDir("missing/c1"));
        Assert.Equal(Errno.ENOENT, e.Code);
    }

    [Fact]
    public void SaveLoadRoundTrip()
    {
        store.CreateDir("c1");
        var saved = Sample("c1");
        store.Save(saved);
        Assert.True(store.Exists("c1"));
        Assert.Equal(Mode0600, File.GetUnixFileMode(store.StateFile("c1")));
        var loaded = store.Load("c1");
        Assert.Equal(saved.Id, loaded.Id);
        Assert.Equal(saved.InitPid, loaded.InitPid);
        Assert.Equal(saved.InitStartTime, loaded.InitStartTime);
        Assert.Equal(saved.Bundle, loaded.Bundle);
        Assert.Equal(saved.Rootfs, loaded.Rootfs);
        Assert.Equal(saved.Created, loaded.Created);
        Assert.Equal(saved.Owner, loaded.Owner);
        Assert.Equal(saved.Annotations, loaded.Annotations);
        Assert.Equal(saved.CgroupPaths, loaded.CgroupPaths);
        Assert.Equal(saved.SystemdCgroup, loaded.SystemdCgroup);
        Assert.Equal(saved.Rootless, loaded.Rootless);
        Assert.Equal(saved.Namespaces.Keys, loaded.Namespaces.Keys);
        foreach (var (k, v) in saved.Namespaces)
        {
            var l = loaded.Namespaces[k];
            Assert.Equal((v.Inode, v.Device, v.Origin, v.Path), (l.Inode, l.Device, l.Origin, l.Path));
        }
    }

    [Fact]
    public void SaveReplacesState()
    {
        store.CreateDir("c1");
        store.Save(Sample("c1"));
        var second = Sample("c1");
        second.InitPid = 7;
        second.Annotations = null;
        store.Save(second);
        var loaded = store.Load("c1");
        Assert.Equal(7, loaded.InitPid);
        Assert.Null(loaded.Annotations);
        Assert.Equal(new[] { "state.json" }, Directory.GetFiles(store.DirOf("c1")).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadMissingContainer()
    {
        Assert.Equal("container does not exist", Assert.Throws<RuncsException>(() => store.Load("nope")).Message);
        store.CreateDir("half");
        Assert.Equal("container does not exist", Assert.Throws<RuncsException>(() => store.Load("half")).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"initPid\": \"four\"}")]
    [InlineData("[1,2,3]")]
    public void CorruptState(string content)
    {
        store.CreateDir("c1");
        File.WriteAllText(store.StateFile("c1"), content);
        var e = Assert.Throws<RuncsException>(() => store.Load("c1"));
        Assert.StartsWith("state of container c1 is corrupt: ", e.Message);
    }

    [Fact]
    public void NullState()
    {
        store.CreateDir("c1");
        File.WriteAllText(store.StateFile("c1"), "null");
        var e = Assert.Throws<RuncsException>(() => store.Load("c1"));
        Assert.Equal("state of container c1 is empty", e.Message);
    }

    [Fact]
    public void IdsAreSortedAndNeedStateJson()
    {
        Assert.Empty(store.Ids()); // root does not exist yet
        foreach (var id in new[] { "b", "a", "C", "a-2", "nostate" }) store.CreateDir(id);
        foreach (var id in new[] { "b", "a", "C", "a-2" }) store.Save(Sample(id));
        File.WriteAllText(Path.Combine(store.Root, "stray-file"), "");
        Assert.Equal(new[] { "C", "a", "a-2", "b" }, store.Ids());
    }

    [Fact]
    public void RemoveDir()
    {
        store.CreateDir("c1");
        store.Save(Sample("c1"));
        store.RemoveDir("c1");
        Assert.False(Directory.Exists(store.DirOf("c1")));
        Assert.False(store.Exists("c1"));
        store.RemoveDir("c1"); // missing: no error
        store.CreateDir("c1"); // the id is free again
    }

    [Fact]
    public void LockOfMissingContainer()
    {
        Assert.Null(store.TryLock("nope"));
        Assert.Equal("container does not exist", Assert.Throws<RuncsException>(() => store.Lock("nope")).Message);
    }

    [Fact]
    public void SecondLockWaitsForTheFirst()
    {
        store.CreateDir("c1");
        var first = store.Lock("c1");
        using var acquired = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // A thread of its own: flock blocks the thread, not a pool worker.
        var t = new Thread(() =>
        {
            using var second = store.Lock("c1");
            acquired.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }) { IsBackground = true };
        t.Start();
        try
        {
            Assert.False(acquired.Wait(TimeSpan.FromMilliseconds(300)), "the second lock was granted while the first was held");
            first.Dispose();
            Assert.True(acquired.Wait(TimeSpan.FromSeconds(20)), "the second lock was not granted after the first was released");
        }
        finally
        {
            first.Dispose();
            release.Set();
            Assert.True(t.Join(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public void LocksOnDifferentContainersDoNotConflict()
    {
        store.CreateDir("a");
        store.CreateDir("b");
        using var la = store.Lock("a");
        var t = new Thread(() => { using var lb = store.Lock("b"); }) { IsBackground = true };
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(20)), "locking b waited for a");
    }

    [Fact]
    public void LockDisposeTwiceIsHarmless()
    {
        store.CreateDir("c1");
        var l = store.Lock("c1");
        l.Dispose();
        l.Dispose();
        using var again = store.TryLock("c1");
        Assert.NotNull(again);
    }

    [Fact]
    public void AtomicFileWritesAndReplaces()
    {
        var path = Path.Combine(tmp, "pid");
        AtomicFile.Write(path, "a much longer first content");
        Assert.Equal("a much longer first content", File.ReadAllText(path));
        AtomicFile.Write(path, "42");
        Assert.Equal("42", File.ReadAllText(path));
        Assert.Equal(new[] { "pid" }, Directory.GetFileSystemEntries(tmp).Select(Path.GetFileName));
    }

    [Fact]
    public void AtomicFileReplacesInode()
    {
        // Readers holding the old file keep the old content: a rename, not an overwrite.
        var path = Path.Combine(tmp, "f");
        AtomicFile.Write(path, "old");
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read);
        AtomicFile.Write(path, "new");
        using var sr = new StreamReader(reader);
        Assert.Equal("old", sr.ReadToEnd());
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void AtomicFileModes()
    {
        var a = Path.Combine(tmp, "a");
        AtomicFile.Write(a, "x");
        var expected0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Assert.Equal(expected0644 & ~Umask(), File.GetUnixFileMode(a));
        var b = Path.Combine(tmp, "b");
        AtomicFile.Write(b, "x", 0x180);
        Assert.Equal(Mode0600, File.GetUnixFileMode(b));
        // Replacing a file gives the new mode, not the old one.
        AtomicFile.Write(a, "y", 0x180);
        Assert.Equal(Mode0600, File.GetUnixFileMode(a));
    }

    [Fact]
    public void AtomicFileUtf8()
    {
        var path = Path.Combine(tmp, "u");
        AtomicFile.Write(path, "héllo ✓");
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("héllo ✓"), File.ReadAllBytes(path));
    }

    [Fact]
    public void AtomicFileIntoMissingDirectoryFails()
    {
        var path = Path.Combine(tmp, "missing", "f");
        var e = Assert.Throws<SysException>(() => AtomicFile.Write(path, "x"));
        Assert.Equal(Errno.ENOENT, e.Code);
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }

    [Fact]
    public void AtomicFileLeavesNoTempWhenRenameFails()
    {
        // Renaming a file over a non-empty directory fails (EISDIR): the temp file must be removed.
        var path = Path.Combine(tmp, "dir");
        Directory.CreateDirectory(Path.Combine(path, "child"));
        Assert.Throws<SysException>(() => AtomicFile.Write(path, "x"));
        Assert.Equal(new[] { "dir" }, Directory.GetFileSystemEntries(tmp).Select(Path.GetFileName));
    }
}
