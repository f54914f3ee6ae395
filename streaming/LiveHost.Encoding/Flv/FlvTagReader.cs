using System.Buffers;
using System.Buffers.Binary;

namespace LiveHost.Encoding.Flv;

/// <summary>
/// Splits an FLV byte stream (what <c>ffmpeg -f flv</c> writes to a pipe) into tags, for use over a
/// <see cref="System.IO.Pipelines.PipeReader"/> (FLV spec 10, annex E):
/// <code>
/// header:  'F' 'L' 'V' version(8) flags(8) headerSize(32)  then  PreviousTagSize0(32) = 0
/// tag:     reserved(2) filter(1) type(5) | dataSize(24) | timestamp(24) timestampExt(8) | streamId(24) | data | PreviousTagSize(32) = 11 + dataSize
/// </code>
/// The stream comes from our own ffmpeg, so the reader does not resynchronise: the first inconsistency puts it into
/// a failed state (<see cref="Error"/>) and the caller restarts the encode.
/// </summary>
public sealed class FlvTagReader
{
    private const int FileHeaderMinimum = 9;
    private const int TagHeaderLength = 11;
    private const int PreviousTagSizeLength = 4;
    private const int MaxFileHeaderLength = 1024;

    private bool _headerRead;

    /// <summary>Why the stream was rejected; null while it is good.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Takes the next whole tag off the front of <paramref name="buffer"/> (skipping the file header first).
    /// False when more bytes are needed or the stream failed (see <see cref="Error"/>).
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out FlvTag tag)
    {
        tag = default;
        if (Error is not null) return false;
        if (!_headerRead && !TrySkipFileHeader(ref buffer)) return false;
        if (buffer.Length < TagHeaderLength) return false;

        Span<byte> header = stackalloc byte[TagHeaderLength];
        buffer.Slice(0, TagHeaderLength).CopyTo(header);
        if ((header[0] & 0xC0) != 0) return Fail($"reserved bits set in tag type 0x{header[0]:x2}");
        if ((header[0] & 0x20) != 0) return Fail("encrypted (filtered) FLV tags are not supported");
        var type = (FlvTagType)(header[0] & 0x1F);
        var dataSize = (header[1] << 16) | (header[2] << 8) | header[3];
        var timestamp = (uint)((header[7] << 24) | (header[4] << 16) | (header[5] << 8) | header[6]);

        var total = (long)TagHeaderLength + dataSize + PreviousTagSizeLength;
        if (buffer.Length < total) return false;

        Span<byte> trailer = stackalloc byte[PreviousTagSizeLength];
        buffer.Slice(TagHeaderLength + dataSize, PreviousTagSizeLength).CopyTo(trailer);
        var previousTagSize = BinaryPrimitives.ReadUInt32BigEndian(trailer);
        if (previousTagSize != TagHeaderLength + dataSize) return Fail($"PreviousTagSize {previousTagSize} does not match tag size {TagHeaderLength + dataSize}");

        tag = new FlvTag(type, timestamp, buffer.Slice(TagHeaderLength, dataSize));
        buffer = buffer.Slice(total);
        return true;
    }

    private bool TrySkipFileHeader(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < FileHeaderMinimum) return false;
        Span<byte> header = stackalloc byte[FileHeaderMinimum];
        buffer.Slice(0, FileHeaderMinimum).CopyTo(header);
        if (header[0] != (byte)'F' || header[1] != (byte)'L' || header[2] != (byte)'V') return Fail("stream does not start with an FLV signature");
        var headerSize = BinaryPrimitives.ReadUInt32BigEndian(header[5..]);
        if (headerSize < FileHeaderMinimum || headerSize > MaxFileHeaderLength) return Fail($"FLV header size {headerSize} is out of range");
        if (buffer.Length < headerSize + PreviousTagSizeLength) return false;
        buffer = buffer.Slice(headerSize + PreviousTagSizeLength);
        _headerRead = true;
        return true;
    }

    private bool Fail(string error)
    {
        Error = error;
        return false;
    }
}
