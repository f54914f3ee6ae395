using System.Buffers.Binary;

namespace LiveHost.Recording.Mp4;

/// <summary>What a recording on disk holds, read from its boxes: its whole fragments and the video time they span.</summary>
public sealed record Mp4RecordingSummary(int Fragments, TimeSpan Duration, long CompleteBytes);

/// <summary>
/// Reads a LiveHost fragmented MP4 back without decoding it: walks the top-level boxes, and for each <c>moof</c>
/// followed by a whole <c>mdat</c> adds the video track's sample durations. A fragment cut short (a crash while it was
/// written) and anything after it are not counted: that is exactly what a player can still play.
/// </summary>
public static class Mp4RecordingReader
{
    private const int MaxMoofBytes = 4 << 20;

    public static Mp4RecordingSummary Read(Stream stream)
    {
        var length = stream.Length;
        var position = 0L;
        var fragments = 0;
        var complete = 0L;
        long? firstStart = null;
        var videoEnd = 0L;
        (long Start, long Duration)? pending = null;
        Span<byte> header = stackalloc byte[8];
        while (position + 8 <= length)
        {
            stream.Position = position;
            stream.ReadExactly(header);
            var size = (long)BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header[4..]);
            if (size < 8 || position + size > length) break;
            if (type == "moof")
            {
                if (size > MaxMoofBytes) break;
                var body = new byte[size - 8];
                stream.ReadExactly(body);
                pending = VideoSpan(body);
            }
            else if (type == "mdat")
            {
                if (pending is { } span)
                {
                    fragments++;
                    firstStart ??= span.Start;
                    videoEnd = Math.Max(videoEnd, span.Start + span.Duration);
                }
                pending = null;
                complete = position + size;
            }
            else if (type is "ftyp" or "moov")
            {
                complete = position + size;
            }
            position += size;
        }
        var duration = firstStart is { } first ? TimeSpan.FromSeconds((videoEnd - first) / (double)Mp4Tracks.VideoTimescale) : TimeSpan.Zero;
        return new Mp4RecordingSummary(fragments, duration, complete);
    }

    /// <summary>The video track's start (tfdt) and total duration (trun) in one moof's body, or (0, 0) when it has none.</summary>
    private static (long Start, long Duration) VideoSpan(ReadOnlySpan<byte> moof)
    {
        foreach (var traf in Children(moof, "traf"))
        {
            uint trackId = 0;
            long start = 0, duration = 0;
            foreach (var (type, body) in AllChildren(traf))
            {
                if (type == "tfhd" && body.Length >= 8) trackId = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(4));
                else if (type == "tfdt" && body.Length >= 8)
                    start = body[0] == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(body.AsSpan(4)) : BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(4));
                else if (type == "trun") duration += RunDuration(body);
            }
            if (trackId == Mp4Tracks.VideoTrackId) return (start, duration);
        }
        return (0, 0);
    }

    /// <summary>Sums the sample durations of a trun (every LiveHost trun carries them per sample).</summary>
    private static long RunDuration(ReadOnlySpan<byte> trun)
    {
        if (trun.Length < 8) return 0;
        var flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
        var count = BinaryPrimitives.ReadUInt32BigEndian(trun[4..]);
        var at = 8;
        if ((flags & 0x1) != 0) at += 4;
        if ((flags & 0x4) != 0) at += 4;
        if ((flags & 0x100) == 0) return 0;
        var stride = 4 * (1 + ((flags & 0x200) != 0 ? 1 : 0) + ((flags & 0x400) != 0 ? 1 : 0) + ((flags & 0x800) != 0 ? 1 : 0));
        long total = 0;
        for (var i = 0; i < count && at + 4 <= trun.Length; i++, at += stride) total += BinaryPrimitives.ReadUInt32BigEndian(trun[at..]);
        return total;
    }

    private static List<byte[]> Children(ReadOnlySpan<byte> parent, string wanted)
    {
        var found = new List<byte[]>();
        foreach (var (type, body) in AllChildren(parent)) if (type == wanted) found.Add(body);
        return found;
    }

    private static List<(string Type, byte[] Body)> AllChildren(ReadOnlySpan<byte> parent)
    {
        var children = new List<(string, byte[])>();
        var at = 0;
        while (at + 8 <= parent.Length)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(parent[at..]);
            if (size < 8 || at + size > parent.Length) break;
            children.Add((System.Text.Encoding.ASCII.GetString(parent.Slice(at + 4, 4)), parent.Slice(at + 8, size - 8).ToArray()));
            at += size;
        }
        return children;
    }
}
