namespace LiveHost.TestSupport;

/// <summary>What ffprobe reported about one stream.</summary>
public sealed record ProbedStream(
    string CodecType, string CodecName, int? Width, int? Height, string? AvgFrameRate, string? RFrameRate, int? SampleRate, int? Channels)
{
    /// <summary>avg_frame_rate as a number (e.g. "25/1" -> 25), or null when unknown or 0/0.</summary>
    public double? AvgFramesPerSecond => ParseRate(AvgFrameRate);

    public double? RFramesPerSecond => ParseRate(RFrameRate);

    private static double? ParseRate(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('/');
        if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var n)
            || !double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var d) || d == 0) return null;
        return n / d;
    }
}

/// <summary>ffprobe's -show_streams -show_format, parsed; <see cref="Json"/> keeps the raw text for failure messages.</summary>
public sealed record ProbeResult(IReadOnlyList<ProbedStream> Streams, string? FormatName, IReadOnlyDictionary<string, string> FormatTags, string Json)
{
    public ProbedStream? Video => Streams.FirstOrDefault(s => s.CodecType == "video");
    public ProbedStream? Audio => Streams.FirstOrDefault(s => s.CodecType == "audio");
}
