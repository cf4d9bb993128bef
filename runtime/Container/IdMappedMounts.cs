using Runcs.Bootstrap;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// Makes the id-mapped mounts of <see cref="IdMapPlan"/> in the runtime, on the host:
/// MOUNT_ATTR_IDMAP needs CAP_SYS_ADMIN over the source's filesystem (the host's user
/// namespace), which init, inside the container's user namespace, lacks. Each mount is a
/// detached copy of the source (open_tree OPEN_TREE_CLONE) with the mapping applied;
/// init attaches it at its destination with move_mount.
/// </summary>
public static class IdMappedMounts
{
    /// <summary>One mount fd per entry, in order; the caller owns (and closes) them.</summary>
    public static List<int> Open(List<IdMapPlan.Entry> entries)
    {
        var fds = new List<int>();
        var userns = new Dictionary<string, int>();
        try
        {
            foreach (var e in entries)
            {
                if (!userns.TryGetValue(e.MappingKey, out int nsFd))
                {
                    nsFd = e.UsernsPath != null
                        ? Sys.CheckFd(Sys.Open(e.UsernsPath, Sys.O_RDONLY | Sys.O_CLOEXEC, 0), $"mounts[{e.Index}]: open user namespace {e.UsernsPath}")
                        : UserNamespaceHolder.Make(IdMapPlan.Lines(e.UidMappings), IdMapPlan.Lines(e.GidMappings), $"mounts[{e.Index}]");
                    userns[e.MappingKey] = nsFd;
                }
                int flags = Sys.OPEN_TREE_CLONE | Sys.OPEN_TREE_CLOEXEC | (e.CloneRecursive ? Sys.AT_RECURSIVE : 0);
                int fd = Sys.CheckFd(Sys.OpenTree(e.Source, flags), $"mounts[{e.Index}]: open_tree {e.Source}");
                fds.Add(fd);
                if (Sys.MountSetattr(fd, "", Sys.AT_EMPTY_PATH | (e.MapRecursive ? Sys.AT_RECURSIVE : 0), Sys.MOUNT_ATTR_IDMAP, 0, nsFd) < 0)
                {
                    int err = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    var hint = err == Errno.EINVAL ? " (does the filesystem of the source support id-mapped mounts on this kernel?)" : "";
                    throw new RuncsException($"{new SysException($"mounts[{e.Index}]: set MOUNT_ATTR_IDMAP on {e.Source}", err).Message}{hint}");
                }
            }
            return fds;
        }
        catch
        {
            foreach (var fd in fds) Sys.Close(fd);
            throw;
        }
        finally
        {
            foreach (var fd in userns.Values) Sys.Close(fd);
        }
    }
}

/// <summary>
/// A user namespace with given id maps, as an fd: a copy of runcs whose C stage makes the
/// namespace and waits ("hold") while the runtime writes the maps and opens
/// /proc/PID/ns/user; then it is killed and the fd keeps the namespace alive.
/// </summary>
public static class UserNamespaceHolder
{
    public static int Make(string uidMap, string gidMap, string what)
    {
        var req = new Launcher.Request { WriteIdMaps = pid => WriteIdMaps(pid, uidMap, gidMap, "the mount's user namespace", $"{what}: ") };
        req.Message.Append($"unshare 0x{Namespaces.NamespaceKinds.CLONE_NEWUSER:x}\nusermap\nhold\n");
        return Launcher.Hold(req, pid => Sys.CheckFd(Sys.Open($"/proc/{pid}/ns/user", Sys.O_RDONLY | Sys.O_CLOEXEC, 0), $"{what}: open the mount's user namespace"));
    }

    /// <summary>uid_map and gid_map of the user namespace of <paramref name="pid"/>, each in one write(2) as the kernel requires.</summary>
    public static void WriteIdMaps(int pid, string uidMap, string gidMap, string whose, string context = "")
    {
        Sys.WriteFile($"/proc/{pid}/uid_map", uidMap, $"{context}write uid_map of {whose}");
        Sys.WriteFile($"/proc/{pid}/gid_map", gidMap, $"{context}write gid_map of {whose}");
    }
}
