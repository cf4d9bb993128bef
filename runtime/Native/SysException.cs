namespace Runcs.Native;

/// <summary>
/// A failed system call: what was being done, and the errno. The message is the
/// one line users see, e.g. "mount proc on /proc: EPERM".
/// </summary>
public sealed class SysException : Exception
{
    public int Code { get; }

    public SysException(string what, int errno) : base($"{what}: {Native.Errno.Name(errno)} ({Native.Errno.Message(errno)})")
    {
        Code = errno;
    }

    /// <summary>Throws for the last P/Invoke error, naming what was being done.</summary>
    public static SysException Last(string what) => new(what, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());

    /// <summary>
    /// The one line a user sees for an exception from .NET's file APIs. NativeAOT strips the
    /// resource texts, leaving "UnauthorizedAccess_IODenied_Path, /x": turned into "/x: permission denied".
    /// </summary>
    public static string Describe(Exception e)
    {
        if (e is RuncsException or SysException or OciRuntime.Spec.SpecException) return e.Message;
        var m = e.Message;
        int comma = m.IndexOf(", ", StringComparison.Ordinal);
        bool resourceKey = comma > 0 && !m[..comma].Contains(' ') && m[..comma].Contains('_');
        string? path = resourceKey ? m[(comma + 2)..] : null;
        string? text = e switch
        {
            UnauthorizedAccessException => "permission denied",
            FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
            _ => null,
        };
        if (path != null && text != null) return $"{path}: {text}";
        if (text != null && !resourceKey) return m;
        return resourceKey ? m.Replace('_', ' ') : m;
    }
}

/// <summary>A user-facing error: one line, exit status 1, no stack trace.</summary>
public class RuncsException : Exception
{
    public RuncsException(string message) : base(message) { }
}

public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8, EBADF = 9,
        ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19,
        ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28,
        ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOLCK = 37,
        ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOVERFLOW = 75, EUSERS = 87, ENOTSOCK = 88,
        EMSGSIZE = 90, EOPNOTSUPP = 95, EADDRINUSE = 98, ECONNRESET = 104, ENOTCONN = 107, ETIMEDOUT = 110,
        ECONNREFUSED = 111;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO",
        [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN",
        [ENOMEM] = "ENOMEM", [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
        [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
        [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY", [ETXTBSY] = "ETXTBSY", [EFBIG] = "EFBIG",
        [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK", [EPIPE] = "EPIPE",
        [ERANGE] = "ERANGE", [EDEADLK] = "EDEADLK", [ENAMETOOLONG] = "ENAMETOOLONG", [ENOLCK] = "ENOLCK",
        [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP", [ENODATA] = "ENODATA",
        [EOVERFLOW] = "EOVERFLOW", [EUSERS] = "EUSERS", [ENOTSOCK] = "ENOTSOCK", [EMSGSIZE] = "EMSGSIZE",
        [EOPNOTSUPP] = "EOPNOTSUPP", [EADDRINUSE] = "EADDRINUSE", [ECONNRESET] = "ECONNRESET",
        [ENOTCONN] = "ENOTCONN", [ETIMEDOUT] = "ETIMEDOUT", [ECONNREFUSED] = "ECONNREFUSED",
    };

    public static string Name(int errno) => Names.TryGetValue(errno, out var n) ? n : $"errno {errno}";

    /// <summary>The C library's text for errno, lowercased as Go prints it ("no such file or directory"):
    /// podman and containerd match these words.</summary>
    public static unsafe string Message(int errno)
    {
        byte* p = StrError(errno);
        var s = p == null ? "" : System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)p) ?? "";
        return s.Length > 0 ? char.ToLowerInvariant(s[0]) + s[1..] : $"errno {errno}";
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "strerror")]
    private static extern unsafe byte* StrError(int errnum);
}
