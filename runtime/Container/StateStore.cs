using System.Text.Json;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// The state directory: --root/ID/ (0700) holding state.json (written atomically),
/// config.json (the spec as create saw it), exec.fifo (while created). Commands on
/// one id serialize through flock on the container's directory.
/// </summary>
public sealed class StateStore
{
    public string Root { get; }

    public StateStore(string root) => Root = root;

    public string DirOf(string id) => Path.Combine(Root, id);
    public string StateFile(string id) => Path.Combine(DirOf(id), "state.json");
    public string ConfigFile(string id) => Path.Combine(DirOf(id), "config.json");
    public string FifoFile(string id) => Path.Combine(DirOf(id), "exec.fifo");

    public void EnsureRoot()
    {
        if (Directory.Exists(Root)) return;
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Makes the container's directory; fails when the id is taken.</summary>
    public void CreateDir(string id)
    {
        EnsureRoot();
        if (Sys.Mkdir(DirOf(id), 0x1C0 /* 0700 */) < 0)
        {
            int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (e == Errno.EEXIST) throw new RuncsException($"container with id exists: {id}");
            throw new SysException($"create state directory {DirOf(id)}", e);
        }
    }

    public bool Exists(string id) => File.Exists(StateFile(id));

    public ContainerState Load(string id)
    {
        string text = Sys.TryReadFile(StateFile(id)) ?? throw new RuncsException("container does not exist");
        try
        {
            return RuntimeJsonReader.TryContainerState(text)
                   ?? JsonSerializer.Deserialize(text, RuntimeJson.Default.ContainerState)
                   ?? throw new RuncsException($"state of container {id} is empty");
        }
        catch (JsonException e)
        {
            throw new RuncsException($"state of container {id} is corrupt: {e.Message}");
        }
    }

    public void Save(ContainerState state) =>
        AtomicFile.Write(StateFile(state.Id), DocumentWriter.ContainerState(state), 0x180);

    public IEnumerable<string> Ids()
    {
        if (!Directory.Exists(Root)) yield break;
        foreach (var d in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(d);
            if (File.Exists(Path.Combine(d, "state.json"))) yield return id;
        }
    }

    public void RemoveDir(string id)
    {
        var dir = DirOf(id);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>Exclusive lock on the container's directory; null when it does not exist.</summary>
    public ContainerLock? TryLock(string id)
    {
        int fd = Sys.Open(DirOf(id), Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
        if (fd < 0) return null;
        while (Sys.Flock(fd, Sys.LOCK_EX) < 0)
        {
            int e = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (e == Errno.EINTR) continue;
            Sys.Close(fd);
            throw new SysException($"lock container {id}", e);
        }
        return new ContainerLock(fd);
    }

    public ContainerLock Lock(string id) => TryLock(id) ?? throw new RuncsException("container does not exist");
}

public sealed class ContainerLock : IDisposable
{
    private int fd;
    public ContainerLock(int fd) => this.fd = fd;
    public void Dispose()
    {
        if (fd >= 0) Sys.Close(fd);
        fd = -1;
    }
}

/// <summary>
/// Write to a temp file in the same directory, then rename: readers see old or new, never half.
/// No fsync, as runc: these files describe processes that a reboot ends anyway (the state root is
/// normally a tmpfs under /run), and on a disk-backed root each fsync cost milliseconds of every create.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, string content, uint mode = 0x1A4 /* 0644 */)
    {
        var dir = Path.GetDirectoryName(path) ?? ".";
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        int fd = Sys.Open(tmp, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC | Sys.O_CLOEXEC, mode);
        if (fd < 0) throw SysException.Last($"create {tmp}");
        try
        {
            Sys.WriteAll(fd, System.Text.Encoding.UTF8.GetBytes(content), $"write {tmp}");
        }
        finally
        {
            Sys.Close(fd);
        }
        if (Sys.Rename(tmp, path) < 0)
        {
            var ex = SysException.Last($"rename {tmp} to {path}");
            Sys.Unlink(tmp);
            throw ex;
        }
    }
}
