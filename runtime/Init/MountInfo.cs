namespace Runcs.Init;

/// <summary>Pure reading of /proc/self/mountinfo.</summary>
public static class MountInfo
{
    /// <summary>The mount point that contains path (the longest matching one, the last mounted on ties) and whether it is shared.</summary>
    public static (string? MountPoint, bool Shared) Containing(string mountinfo, string path)
    {
        string? best = null;
        bool shared = false;
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            if (f.Length < 7) continue;
            var mp = f[4].Replace("\\040", " ");
            bool inside = mp == "/" || path == mp || path.StartsWith(mp.TrimEnd('/') + "/");
            if (!inside) continue;
            if (best == null || mp.Length >= best.Length)
            {
                best = mp;
                shared = false;
                for (int i = 6; i < f.Length && f[i] != "-"; i++)
                    if (f[i].StartsWith("shared:")) shared = true;
            }
        }
        return (best, shared);
    }
}
