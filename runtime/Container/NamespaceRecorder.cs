using OciRuntime.Spec;
using Runcs.Namespaces;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// Records the identity of every namespace of init — created, joined from a
/// path, or inherited from whoever ran create — so that exec can join exactly
/// those and verify them.
/// </summary>
public static class NamespaceRecorder
{
    public static Dictionary<string, NamespaceRecord> Record(int pid, IReadOnlyList<LinuxNamespace> configured)
    {
        var record = new Dictionary<string, NamespaceRecord>();
        foreach (var kind in NamespaceKinds.All)
        {
            var id = Sys.TryStatId($"/proc/{pid}/ns/{kind.ProcName}");
            if (id == null)
            {
                // A kernel without this namespace type: nothing to join, nothing to check.
                if (!File.Exists($"/proc/self/ns/{kind.ProcName}")) continue;
                throw SysException.Last($"record {kind.ProcName} namespace of init (pid {pid})");
            }
            var conf = configured.FirstOrDefault(n => n.Type == kind.OciName);
            record[kind.ProcName] = new NamespaceRecord
            {
                Device = id.Value.Dev,
                Inode = id.Value.Ino,
                Origin = conf == null ? NamespaceOrigin.Inherited : string.IsNullOrEmpty(conf.Path) ? NamespaceOrigin.Created : NamespaceOrigin.Joined,
                Path = string.IsNullOrEmpty(conf?.Path) ? null : conf!.Path,
            };
        }
        return record;
    }
}
