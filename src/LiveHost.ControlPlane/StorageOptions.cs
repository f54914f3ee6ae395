namespace LiveHost.ControlPlane;

/// <summary><c>Storage:DataDirectory</c>: where state lives (default <c>data</c>; a relative path is taken from the content root here, and the LiveHost host makes it absolute under the checkout first).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public string DataDirectory { get; set; } = "data";
}
