namespace Runcs.Container;

/// <summary>Container id rules: what may name a directory under --root safely.</summary>
public static class ContainerId
{
    public const int MaxLength = 1024;

    /// <summary>Null when valid, else the reason (one line).</summary>
    public static string? Problem(string id)
    {
        if (string.IsNullOrEmpty(id)) return "container id cannot be empty";
        if (id.Length > MaxLength) return $"invalid container id: longer than {MaxLength} characters";
        if (id == "." || id == "..") return $"invalid container id: {id}";
        foreach (char c in id)
        {
            // runc's rule: ^[\w+-\.]+$ — letters, digits, _ + - .
            bool ok = char.IsAsciiLetterOrDigit(c) || c == '_' || c == '+' || c == '-' || c == '.';
            if (!ok) return $"invalid container id: {Printable(id)}";
        }
        return null;
    }

    private static string Printable(string s)
    {
        var sb = new System.Text.StringBuilder();
        foreach (char c in s) sb.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c);
        return sb.ToString();
    }
}
