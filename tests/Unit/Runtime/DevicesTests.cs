using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Runcs.Init;

namespace OciRuntime.Tests.Unit.Runtime;

[SupportedOSPlatform("linux")]
public partial class DevicesTests
{
    /// <summary>glibc's makedev(3) (the function behind the macro).</summary>
    [LibraryImport("libc", EntryPoint = "gnu_dev_makedev")]
    private static partial ulong GlibcMakedev(uint major, uint minor);

    [LibraryImport("libc", EntryPoint = "gnu_dev_major")]
    private static partial uint GlibcMajor(ulong dev);

    [LibraryImport("libc", EntryPoint = "gnu_dev_minor")]
    private static partial uint GlibcMinor(ulong dev);

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(1u, 3u)]       // /dev/null
    [InlineData(1u, 9u)]       // /dev/urandom
    [InlineData(5u, 0u)]       // /dev/tty
    [InlineData(5u, 2u)]       // /dev/ptmx
    [InlineData(4u, 64u)]      // /dev/ttyS0
    [InlineData(8u, 255u)]
    [InlineData(8u, 256u)]     // first minor that needs the high bits
    [InlineData(136u, 300u)]   // /dev/pts/300
    [InlineData(10u, 200u)]    // /dev/net/tun
    [InlineData(259u, 1048575u)] // blkext, largest 20-bit minor
    [InlineData(4095u, 255u)]
    [InlineData(4096u, 0u)]    // first major that needs the high bits
    [InlineData(0xfffffu, 0xfffffu)]
    [InlineData(0xffffffffu, 0xffffffffu)]
    [InlineData(0x12345678u, 0x9abcdef0u)]
    public void SameAsGlibc(uint major, uint minor)
    {
        ulong dev = Devices.Makedev(major, minor);
        Assert.Equal(GlibcMakedev(major, minor), dev);
        Assert.Equal(major, GlibcMajor(dev));
        Assert.Equal(minor, GlibcMinor(dev));
    }

    [Fact]
    public void KnownValues()
    {
        Assert.Equal(0x103UL, Devices.Makedev(1, 3));
        Assert.Equal(0x10882CUL, Devices.Makedev(136, 300));
        Assert.Equal(0x1000UL << 32, Devices.Makedev(0x1000, 0));
        Assert.Equal(0x100UL << 12, Devices.Makedev(0, 0x100));
    }

    [Fact]
    public void Defaults()
    {
        var expected = new (string, char, uint, uint)[]
        {
            ("/dev/null", 'c', 1, 3), ("/dev/zero", 'c', 1, 5), ("/dev/full", 'c', 1, 7),
            ("/dev/random", 'c', 1, 8), ("/dev/urandom", 'c', 1, 9), ("/dev/tty", 'c', 5, 0),
        };
        Assert.Equal(expected, Devices.Defaults.Select(d => (d.Path, d.Type, d.Major, d.Minor)));
    }

    [Fact]
    public void DefaultsMatchThisHost()
    {
        // The host's own nodes have the same numbers (stat needs no privilege).
        foreach (var d in Devices.Defaults)
        {
            if (!File.Exists(d.Path)) continue;
            Assert.Equal(0, Stat(d.Path, out ulong rdev));
            Assert.Equal((d.Major, d.Minor), (GlibcMajor(rdev), GlibcMinor(rdev)));
        }
    }

    [Fact]
    public void DefaultLinks()
    {
        Assert.Equal(new[]
        {
            ("/dev/fd", "/proc/self/fd"), ("/dev/stdin", "/proc/self/fd/0"), ("/dev/stdout", "/proc/self/fd/1"),
            ("/dev/stderr", "/proc/self/fd/2"), ("/dev/ptmx", "pts/ptmx"),
        }, Devices.DefaultLinks);
    }

    // struct stat in glibc: st_rdev at offset 40 on x86_64, 32 on aarch64 (the generic layout).
    private static unsafe int Stat(string path, out ulong rdev)
    {
        byte* buf = stackalloc byte[256];
        int rc = StatNative(path, buf);
        int off = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 40 : 32;
        rdev = *(ulong*)(buf + off);
        return rc;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatNative(string path, byte* buf);
}
