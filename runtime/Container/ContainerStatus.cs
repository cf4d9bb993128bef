using Runcs.Cgroups;

namespace Runcs.Container;

/// <summary>created | running | paused | stopped, from what the kernel says now.</summary>
public static class ContainerStatus
{
    public const string Created = "created", Running = "running", Paused = "paused", Stopped = "stopped";

    public static string Of(StateStore store, ContainerState s)
    {
        if (!ProcInfo.IsAlive(s.InitPid, s.InitStartTime)) return Stopped;
        // Frozen first, as runc: a created container can be paused too.
        var freezer = CgroupManager.TryFreezerStateAtUsualPlace(s.CgroupPaths, out var quick)
            ? quick
            : CgroupManager.FromInner(s.CgroupPaths).FreezerState();
        if (freezer is "FROZEN" or "FREEZING") return Paused;
        if (File.Exists(store.FifoFile(s.Id))) return Created;
        return Running;
    }
}
