namespace LiveHost.Recording.Mp4;

/// <summary>
/// Text tags a recording carries in <c>moov/udta/meta/ilst</c>: <paramref name="Comment"/> as <c>©cmt</c> (ffprobe's
/// <c>comment</c>) and each of <paramref name="Custom"/> as an iTunes freeform <c>----</c> item (mean
/// <c>com.apple.iTunes</c>), which ffprobe prints under its own name.
/// </summary>
public sealed record Mp4Tags(string? Comment, IReadOnlyList<KeyValuePair<string, string>> Custom)
{
    public static readonly Mp4Tags None = new(null, []);
}

/// <summary>Writes <see cref="Mp4Tags"/> as <c>udta/meta/ilst</c> (the QuickTime/iTunes metadata layout ffmpeg reads).</summary>
internal static class Mp4TagWriter
{
    /// <summary>The data box's type indicator for UTF-8 text.</summary>
    private const uint Utf8Text = 1;

    public static void Write(BoxWriter box, Mp4Tags tags)
    {
        if (tags.Comment is null && tags.Custom.Count == 0) return;
        box.Begin("udta");
        box.BeginFull("meta", 0, 0);
        box.BeginFull("hdlr", 0, 0);
        box.UInt32(0);
        box.FourCc("mdir");
        box.FourCc("appl");
        box.Zeros(8);
        box.UInt8(0);
        box.End();
        box.Begin("ilst");
        if (tags.Comment is { } comment)
        {
            box.Begin("\u00A9cmt");
            Data(box, comment);
            box.End();
        }
        foreach (var (name, value) in tags.Custom)
        {
            box.Begin("----");
            box.BeginFull("mean", 0, 0);
            box.Utf8("com.apple.iTunes");
            box.End();
            box.BeginFull("name", 0, 0);
            box.Utf8(name);
            box.End();
            Data(box, value);
            box.End();
        }
        box.End(); // ilst
        box.End(); // meta
        box.End(); // udta
    }

    private static void Data(BoxWriter box, string value)
    {
        box.Begin("data");
        box.UInt32(Utf8Text);
        box.UInt32(0); // locale
        box.Utf8(value);
        box.End();
    }
}
