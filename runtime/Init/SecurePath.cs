namespace Runcs.Init;

/// <summary>
/// Resolves a path inside a root directory the way the container will see it:
/// symlinks are followed, but relative to the root, so "../../etc" or a link to
/// "/etc" never leaves it (the CVE-2021-30465 class). The link reader is
/// injected so the logic is unit-tested without a file system.
/// </summary>
public static class SecurePath
{
    public static string Join(string root, string unsafePath) => Join(root, unsafePath, ReadLink);

    public static string Join(string root, string unsafePath, Func<string, string?> readLink)
    {
        root = root.TrimEnd('/');
        var pending = new Stack<string>();
        PushParts(pending, unsafePath);
        var resolved = new List<string>();
        int links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "." || part == "") continue;
            if (part == "..") { if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1); continue; }
            var candidate = root + "/" + string.Join("/", resolved.Append(part));
            var target = readLink(candidate);
            if (target == null) { resolved.Add(part); continue; }
            if (++links > 255) throw new IOException($"too many levels of symbolic links resolving {unsafePath}");
            if (target.StartsWith('/')) resolved.Clear();
            PushParts(pending, target);
        }
        return root + "/" + string.Join("/", resolved);
    }

    private static void PushParts(Stack<string> stack, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--) stack.Push(parts[i]);
    }

    private static string? ReadLink(string path)
    {
        try
        {
            var fi = new FileInfo(path);
            return fi.LinkTarget;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
