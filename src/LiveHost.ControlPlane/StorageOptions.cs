namespace LiveHost.ControlPlane;

/// <summary><c>Storage:DataDirectory</c>: where state lives (default <c>data</c>, relative to the content root).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public string DataDirectory { get; set; } = "data";
}
