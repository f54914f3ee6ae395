namespace LiveHost.WebRtc.Rtp.Extensions;

/// <summary>
/// The playout-delay RTP header extension (http://www.webrtc.org/experiments/rtp-hdrext/playout-delay): the sender's
/// bounds on how long the receiver may hold a frame between receiving and rendering it (its jitter buffer plus render
/// delay). Three bytes: two 12-bit fields, minimum then maximum, in units of 10 ms (0 to 40.95 s).
/// <code>
///  0                   1                   2
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       MIN delay       |       MAX delay       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Chromium reads min = 0 with a small max as "render as soon as decoded, with at most max of smoothing" (its
/// low-latency renderer); without the extension its jitter buffer grows with the jitter it sees, keyframes included.
/// </summary>
public readonly record struct PlayoutDelay
{
    /// <summary>The extension's URI, as written in a=extmap.</summary>
    public const string Uri = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

    /// <summary>Bytes of the extension's data.</summary>
    public const int DataSize = 3;

    /// <summary>One unit of either field.</summary>
    public const int GranularityMs = 10;

    /// <summary>The largest value a 12-bit field holds, in milliseconds.</summary>
    public const int LimitMs = 0xFFF * GranularityMs;

    /// <param name="minMs">Minimum delay, a multiple of 10 ms, 0 to 40950.</param>
    /// <param name="maxMs">Maximum delay, a multiple of 10 ms, at least <paramref name="minMs"/>, at most 40950.</param>
    public PlayoutDelay(int minMs, int maxMs)
    {
        if (Validate(minMs, maxMs) is { } error) throw new ArgumentOutOfRangeException(nameof(minMs), error);
        MinMs = minMs;
        MaxMs = maxMs;
    }

    public int MinMs { get; }

    public int MaxMs { get; }

    /// <summary>Why these bounds cannot be sent, or null when they can.</summary>
    public static string? Validate(int minMs, int maxMs) =>
        minMs is < 0 or > LimitMs || maxMs is < 0 or > LimitMs ? $"the playout delay bounds must be 0 to {LimitMs} ms (were {minMs} and {maxMs})"
        : minMs % GranularityMs != 0 || maxMs % GranularityMs != 0 ? $"the playout delay bounds must be multiples of {GranularityMs} ms (were {minMs} and {maxMs})"
        : minMs > maxMs ? $"the minimum playout delay ({minMs} ms) must not exceed the maximum ({maxMs} ms)"
        : null;

    /// <summary>Writes the three data bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < DataSize) throw new ArgumentException($"need {DataSize} bytes", nameof(destination));
        var min = MinMs / GranularityMs;
        var max = MaxMs / GranularityMs;
        destination[0] = (byte)(min >> 4);
        destination[1] = (byte)(((min & 0x0F) << 4) | (max >> 8));
        destination[2] = (byte)max;
    }

    /// <summary>Reads the three data bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out PlayoutDelay delay)
    {
        delay = default;
        if (data.Length != DataSize) return false;
        var min = (data[0] << 4) | (data[1] >> 4);
        var max = ((data[1] & 0x0F) << 8) | data[2];
        if (min > max) return false;
        delay = new PlayoutDelay(min * GranularityMs, max * GranularityMs);
        return true;
    }

    public override string ToString() => $"{MinMs}/{MaxMs} ms";
}
