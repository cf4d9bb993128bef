namespace OciRuntime.Spec;

/// <summary>
/// A malformed or invalid spec document (or an unknown signal / capability name).
/// The message is a single line; <see cref="Path"/> is the JSON path of the offending
/// value (e.g. "linux.namespaces[2].type") when one is known.
/// </summary>
public sealed class SpecException : Exception
{
    public SpecException(string message)
        : base(message)
    {
    }

    public SpecException(string message, string? path)
        : base(message)
    {
        Path = path;
    }

    public SpecException(string message, string? path, Exception? innerException)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>JSON path of the offending value, without the leading "$."; null when unknown.</summary>
    public string? Path { get; }
}
