namespace LiveHost.Engine.Options;

/// <summary>One room, bound from <c>Rooms:{name}</c>. Defaults are the embedded default's.</summary>
public sealed class RoomOptions
{
    /// <summary>Default language of lines that name none, and of the on-screen label: "en" or "zh".</summary>
    public string Language { get; set; } = "en";

    public int Width { get; set; } = 1280;
    public int Height { get; set; } = 720;

    /// <summary>25 (default) or 30.</summary>
    public int Fps { get; set; } = 25;

    /// <summary>Avatar id; "cartoon" is the built-in presenter.</summary>
    public string Avatar { get; set; } = "cartoon";

    /// <summary>RTMP push targets (<c>Rooms:main:Outputs:N:Url</c>).</summary>
    public List<OutputOptions> Outputs { get; set; } = [];
}

public sealed class OutputOptions
{
    public string Url { get; set; } = "";
}
