using System.Runtime.Versioning;
using Runcs.Init;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// OCI mount options → mount(2) flags, checked against the kernel's MS_* values written
/// out here as literals (from include/uapi/linux/mount.h), not against the class's constants.
/// </summary>
[SupportedOSPlatform("linux")]
public class MountOptionsTests
{
    private const ulong RDONLY = 1, NOSUID = 2, NODEV = 4, NOEXEC = 8, SYNCHRONOUS = 16, REMOUNT = 32, MANDLOCK = 64,
        DIRSYNC = 128, NOSYMFOLLOW = 256, NOATIME = 1024, NODIRATIME = 2048, BIND = 4096, REC = 16384, SILENT = 32768,
        POSIXACL = 1 << 16, UNBINDABLE = 1 << 17, PRIVATE = 1 << 18, SLAVE = 1 << 19, SHARED = 1 << 20,
        RELATIME = 1 << 21, I_VERSION = 1 << 23, STRICTATIME = 1 << 24, LAZYTIME = 1 << 25;

    private static MountOptions P(params string[] o) => MountOptions.Parse(o);

    // Options that set a flag (runc's mountFlags entries with clear=false).
    public static TheoryData<string, ulong> Setters => new()
    {
        { "acl", POSIXACL }, { "bind", BIND }, { "dirsync", DIRSYNC }, { "iversion", I_VERSION },
        { "lazytime", LAZYTIME }, { "mand", MANDLOCK }, { "noatime", NOATIME }, { "nodev", NODEV },
        { "nodiratime", NODIRATIME }, { "noexec", NOEXEC }, { "nosuid", NOSUID }, { "nosymfollow", NOSYMFOLLOW },
        { "rbind", BIND | REC }, { "relatime", RELATIME }, { "remount", REMOUNT }, { "ro", RDONLY },
        { "silent", SILENT }, { "strictatime", STRICTATIME }, { "sync", SYNCHRONOUS },
    };

    // Options that clear a flag (clear=true), with the option that sets that same flag.
    public static TheoryData<string, string, ulong> Clearers => new()
    {
        { "async", "sync", SYNCHRONOUS }, { "atime", "noatime", NOATIME }, { "dev", "nodev", NODEV },
        { "diratime", "nodiratime", NODIRATIME }, { "exec", "noexec", NOEXEC }, { "loud", "silent", SILENT },
        { "noacl", "acl", POSIXACL }, { "noiversion", "iversion", I_VERSION }, { "nolazytime", "lazytime", LAZYTIME },
        { "nomand", "mand", MANDLOCK }, { "norelatime", "relatime", RELATIME },
        { "nostrictatime", "strictatime", STRICTATIME }, { "rw", "ro", RDONLY }, { "suid", "nosuid", NOSUID },
        { "symfollow", "nosymfollow", NOSYMFOLLOW },
    };

    [Theory]
    [MemberData(nameof(Setters))]
    public void SetterSetsExactlyItsFlag(string option, ulong flag)
    {
        var m = P(option);
        Assert.Equal(flag, m.Flags);
        Assert.Equal("", m.Data);
        Assert.Empty(m.Propagation);
        Assert.Empty(m.Extensions);
    }

    [Theory]
    [MemberData(nameof(Clearers))]
    public void ClearerClearsItsFlagAndOnlyIt(string clearer, string setter, ulong flag)
    {
        Assert.Equal(flag, P(setter).Flags);
        Assert.Equal(0UL, P(setter, clearer).Flags);
        // Alone it leaves nothing behind, and it is not passed to the filesystem.
        var alone = P(clearer);
        Assert.Equal(0UL, alone.Flags);
        Assert.Equal("", alone.Data);
        // It clears only its own bit.
        ulong other = flag == NOSUID ? NODEV : NOSUID;
        string otherSetter = flag == NOSUID ? "nodev" : "nosuid";
        Assert.Equal(other, P(setter, otherSetter, clearer).Flags);
    }

    [Theory]
    [MemberData(nameof(Clearers))]
    public void LastOneWins(string clearer, string setter, ulong flag)
    {
        Assert.Equal(flag, P(clearer, setter).Flags);
        Assert.Equal(0UL, P(setter, clearer).Flags);
    }

    [Fact]
    public void RoThenRwIsReadWrite()
    {
        Assert.Equal(0UL, P("ro", "rw").Flags & RDONLY);
        Assert.Equal(RDONLY, P("rw", "ro").Flags & RDONLY);
    }

    [Fact]
    public void DefaultsIsNoFlagAndNoData()
    {
        var m = P("defaults");
        Assert.Equal(0UL, m.Flags);
        Assert.Equal("", m.Data);
    }

    [Fact]
    public void NullAndEmptyOptions()
    {
        var m = MountOptions.Parse(null);
        Assert.Equal(0UL, m.Flags);
        Assert.Equal("", m.Data);
        Assert.Empty(m.Propagation);
        Assert.Empty(m.Extensions);
        Assert.False(m.IsBind);
        Assert.False(m.IsRecursive);
        Assert.Equal(0UL, P("", "  ").Flags);
        Assert.Equal("", P("", "  ").Data);
    }

    [Fact]
    public void TypicalBindMount()
    {
        var m = P("rbind", "ro", "nosuid", "nodev", "noexec", "rprivate");
        Assert.True(m.IsBind);
        Assert.True(m.IsRecursive);
        Assert.Equal(BIND | REC | RDONLY | NOSUID | NODEV | NOEXEC, m.Flags);
        Assert.Equal(new[] { PRIVATE | REC }, m.Propagation);
        Assert.Equal("", m.Data);
    }

    [Fact]
    public void BindIsNotRecursive()
    {
        var m = P("bind");
        Assert.True(m.IsBind);
        Assert.False(m.IsRecursive);
    }

    [Fact]
    public void OptionsAreTrimmed()
    {
        var m = P(" ro ", "\tnosuid", "size=1k ");
        Assert.Equal(RDONLY | NOSUID, m.Flags);
        Assert.Equal("size=1k", m.Data);
    }

    [Theory]
    [InlineData("private", PRIVATE)]
    [InlineData("rprivate", PRIVATE | REC)]
    [InlineData("shared", SHARED)]
    [InlineData("rshared", SHARED | REC)]
    [InlineData("slave", SLAVE)]
    [InlineData("rslave", SLAVE | REC)]
    [InlineData("unbindable", UNBINDABLE)]
    [InlineData("runbindable", UNBINDABLE | REC)]
    public void PropagationGoesToItsOwnList(string option, ulong expected)
    {
        var m = P(option);
        Assert.Equal(new[] { expected }, m.Propagation);
        Assert.Equal(0UL, m.Flags);
        Assert.Equal("", m.Data);
        Assert.Equal(expected, MountOptions.RootPropagation(option));
    }

    [Fact]
    public void PropagationKeepsOrder()
    {
        var m = P("shared", "nosuid", "rslave", "private");
        Assert.Equal(new[] { SHARED, SLAVE | REC, PRIVATE }, m.Propagation);
        Assert.Equal(NOSUID, m.Flags);
    }

    [Fact]
    public void FilesystemDataIsPassedThroughInOrder()
    {
        var m = P("nosuid", "size=65536k", "strictatime", "mode=755", "uid=5", "gid=5", "newinstance", "ptmxmode=0666");
        Assert.Equal("size=65536k,mode=755,uid=5,gid=5,newinstance,ptmxmode=0666", m.Data);
        Assert.Equal(NOSUID | STRICTATIME, m.Flags);
    }

    [Theory]
    [InlineData("tmpcopyup")]
    [InlineData("idmap")]
    [InlineData("ridmap")]
    [InlineData("rro")]
    [InlineData("rrw")]
    [InlineData("rnosuid")]
    [InlineData("rsuid")]
    [InlineData("rnodev")]
    [InlineData("rdev")]
    [InlineData("rnoexec")]
    [InlineData("rexec")]
    [InlineData("rnodiratime")]
    [InlineData("rdiratime")]
    [InlineData("rrelatime")]
    [InlineData("rnorelatime")]
    [InlineData("rnoatime")]
    [InlineData("ratime")]
    [InlineData("rstrictatime")]
    [InlineData("rnostrictatime")]
    [InlineData("rnosymfollow")]
    [InlineData("rsymfollow")]
    public void ExtensionsAreNeitherFlagsNorData(string option)
    {
        var m = P(option);
        Assert.Equal(new[] { option }, m.Extensions);
        Assert.Equal(0UL, m.Flags);
        Assert.Equal("", m.Data);
        Assert.Empty(m.Propagation);
    }

    [Fact]
    public void RroDoesNotSetReadOnlyOnTheFirstMount()
    {
        var m = P("rbind", "rro", "tmpcopyup");
        Assert.Equal(BIND | REC, m.Flags);
        Assert.Equal(new HashSet<string> { "rro", "tmpcopyup" }, m.Extensions);
    }

    [Fact]
    public void RemountFlagsDropBindRecAndRemount()
    {
        var m = P("rbind", "remount", "ro", "nosuid", "nodev", "relatime");
        Assert.Equal(RDONLY | NOSUID | NODEV | RELATIME, m.RemountFlags);
        Assert.Equal(0UL, P("bind").RemountFlags);
        Assert.Equal(0UL, P("rbind", "rw").RemountFlags);
    }

    [Fact]
    public void RootPropagationDefaultsToRslave()
    {
        Assert.Equal(SLAVE | REC, MountOptions.RootPropagation(null));
        Assert.Equal(SLAVE | REC, MountOptions.RootPropagation(""));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("ro")]
    [InlineData("RSLAVE")]
    [InlineData(" rslave")]
    public void RootPropagationRejectsUnknown(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => MountOptions.RootPropagation(value));
        Assert.Contains("rootfsPropagation", e.Message);
        Assert.Contains($"'{value}'", e.Message);
    }

    [Fact]
    public void KnownNamesAreSortedAndComplete()
    {
        var names = MountOptions.KnownNames.ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var row in Setters.Concat(Clearers)) Assert.Contains((string)row[0], names);
        foreach (var o in new[] { "defaults", "private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable", "tmpcopyup" })
            Assert.Contains(o, names);
        foreach (var o in new[] { "rro", "rrw", "rnosuid", "rnodev", "rnoexec", "rnoatime", "rstrictatime", "rnosymfollow" })
            Assert.Contains(o, names);
        // 35 flag options + 8 propagation + tmpcopyup + 18 recursive (mount_setattr) options.
        Assert.Equal(62, names.Count);
    }

    [Theory]
    [InlineData("", "system_u:object_r:container_file_t:s0", true, "context=\"system_u:object_r:container_file_t:s0\"")]
    [InlineData("size=1m,mode=755", "l:s0", true, "size=1m,mode=755,context=\"l:s0\"")]
    [InlineData("size=1m", "l:s0", false, "size=1m")]
    [InlineData("size=1m", "", true, "size=1m")]
    [InlineData("size=1m", null, true, "size=1m")]
    public void MountLabel_IsAContextOption_OnlyWithSelinux(string data, string? label, bool selinux, string expected) =>
        Assert.Equal(expected, MountOptions.WithMountLabel(data, label, selinux));

    [Theory]
    [InlineData("tmpfs", true)]
    [InlineData("devpts", true)]
    [InlineData("overlay", true)]
    [InlineData("proc", false)]
    [InlineData("sysfs", false)]
    [InlineData("mqueue", false)]
    [InlineData("cgroup2", false)]
    public void MountLabel_GoesToFilesystemsThatTakeIt(string type, bool takes) =>
        Assert.Equal(takes, MountOptions.TakesMountLabel(type));

    // Whether pivot_root must still look for a shared parent mount after "/" got the rootfs propagation.
    [Theory]
    [InlineData(null, true)]        // the default: rslave
    [InlineData("rslave", true)]
    [InlineData("rprivate", true)]
    [InlineData("runbindable", true)]
    [InlineData("slave", false)]    // not recursive: a mount below "/" may still be shared
    [InlineData("private", false)]
    [InlineData("shared", false)]
    [InlineData("rshared", false)]
    public void RootPropagation_LeavesNoSharedMount_OnlyWhenRecursiveAndNotShared(string? value, bool none) =>
        Assert.Equal(none, MountOptions.LeavesNoSharedMount(MountOptions.RootPropagation(value)));

    [Fact]
    public void LeavesNoSharedMount_ReadsTheKernelFlags()
    {
        Assert.True(MountOptions.LeavesNoSharedMount(SLAVE | REC));
        Assert.False(MountOptions.LeavesNoSharedMount(SHARED | REC));
        Assert.False(MountOptions.LeavesNoSharedMount(SLAVE));
    }

    // mount(2) flags as mount_setattr(2) attributes: MOUNT_ATTR_RDONLY 1, NOSUID 2, NODEV 4, NOEXEC 8,
    // the atime field 0x70 (RELATIME 0, NOATIME 0x10, STRICTATIME 0x20), NODIRATIME 0x80.
    [Theory]
    [InlineData(RDONLY | NOSUID | NODEV | NOEXEC | RELATIME, 0xFUL, 0x70UL)] // runc's default cgroup mount
    [InlineData(NOSUID | NODEV, 0x6UL, 0x0UL)]
    [InlineData(NOATIME | RDONLY, 0x11UL, 0x70UL)]
    [InlineData(STRICTATIME, 0x20UL, 0x70UL)]
    [InlineData(NODIRATIME, 0x80UL, 0x0UL)]
    public void MountAttrs_FromFlags(ulong flags, ulong set, ulong clear)
    {
        Assert.True(MountAttrs.TryFrom(flags, out var s, out var c));
        Assert.Equal(set, s);
        Assert.Equal(clear, c);
    }

    [Theory]
    [InlineData(BIND)]                    // not a per-mount attribute
    [InlineData(SYNCHRONOUS)]             // a superblock flag
    [InlineData(RELATIME | NOATIME)]      // two atime modes
    public void MountAttrs_RefusesWhatItCannotExpress(ulong flags) =>
        Assert.False(MountAttrs.TryFrom(flags, out _, out _));
}
