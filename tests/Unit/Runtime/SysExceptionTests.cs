using Runcs.Native;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>What a user reads for a failed file operation: a path and a reason, never a .NET resource key.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SysExceptionTests
{
    [Theory]
    [InlineData("denied", "UnauthorizedAccess_IODenied_Path, /tmp/r/plain", "/tmp/r/plain: permission denied")]
    [InlineData("notfound", "IO_FileNotFound_FileName, /x/config.json", "/x/config.json: no such file or directory")]
    [InlineData("dirnotfound", "IO_PathNotFound_Path, /x/y", "/x/y: no such file or directory")]
    [InlineData("io", "Read-only file system : '/x'", "Read-only file system : '/x'")]
    [InlineData("iokey", "IO_SharingViolation_File, /x", "IO SharingViolation File, /x")]
    public void Describe_GivesPathAndReason(string kind, string message, string expected)
    {
        Exception e = kind switch
        {
            "denied" => new UnauthorizedAccessException(message),
            "notfound" => new FileNotFoundException(message),
            "dirnotfound" => new DirectoryNotFoundException(message),
            _ => new IOException(message),
        };
        Assert.Equal(expected, SysException.Describe(e));
    }

    [Fact]
    public void Describe_KeepsOwnMessages()
    {
        Assert.Equal("mount proc on /proc: EPERM (operation not permitted)", SysException.Describe(new SysException("mount proc on /proc", 1)));
        Assert.Equal("process.args: must not be empty", SysException.Describe(new RuncsException("process.args: must not be empty")));
    }
}
