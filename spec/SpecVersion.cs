namespace OciRuntime.Spec;

/// <summary>Runtime-spec versions understood by this model.</summary>
public static class SpecVersion
{
    /// <summary>Oldest config.json version accepted.</summary>
    public const string Min = "1.0.0";

    /// <summary>Newest spec version whose fields are modelled.</summary>
    public const string Max = "1.3.0";

    /// <summary>Version written by <see cref="DefaultSpec"/>.</summary>
    public const string Default = "1.2.0";
}
