using System.Buffers;

namespace LiveHost.Media.Codecs;

/// <summary>One ADTS frame: its header and the raw AAC payload (a slice of the reader's buffer, valid until it advances).</summary>
public readonly record struct AdtsFrame(AdtsHeader Header, ReadOnlySequence<byte> Payload);

/// <summary>
/// Splits an ADTS byte stream (what <c>ffmpeg -f adts</c> writes) into frames, for use over a
/// <see cref="System.IO.Pipelines.PipeReader"/>. The stream is produced by our own ffmpeg, so it never resynchronises:
/// the first bad header puts the reader into a failed state (<see cref="Error"/>) and the caller restarts the encode.
/// </summary>
public sealed class AdtsReader
{
    /// <summary>Why the stream was rejected; null while it is good.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>. False when more bytes are needed or the stream
    /// failed (see <see cref="Error"/>); <paramref name="buffer"/> is then left as it was.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out AdtsFrame frame)
    {
        frame = default;
        if (Error is not null || buffer.Length < AdtsHeader.MinimumLength) return false;

        Span<byte> headerBytes = stackalloc byte[9];
        var available = (int)Math.Min(buffer.Length, headerBytes.Length);
        buffer.Slice(0, available).CopyTo(headerBytes);
        var bytes = headerBytes[..available];
        if (!AdtsHeader.TryParse(bytes, out var header, out var headerLength))
        {
            // A header with a CRC (protection_absent = 0) needs 9 bytes before it can be judged.
            if (available < 9 && (bytes[1] & 0x01) == 0) return false;
            Error = $"bad ADTS header {Convert.ToHexString(bytes[..AdtsHeader.MinimumLength])}";
            return false;
        }
        if (header.RawDataBlocks != 1)
        {
            Error = $"ADTS frame with {header.RawDataBlocks} raw data blocks is not supported";
            return false;
        }
        if (buffer.Length < header.FrameLength) return false;

        frame = new AdtsFrame(header, buffer.Slice(headerLength, header.FrameLength - headerLength));
        buffer = buffer.Slice(header.FrameLength);
        return true;
    }
}
