using System.Buffers.Binary;
using System.Text;

namespace LiveHost.Recording.Mp4;

/// <summary>
/// Writes ISO/IEC 14496-12 boxes into a growable buffer. A box is opened with <see cref="Begin"/> (its 32-bit size
/// left blank) and closed with <see cref="End"/>, which fills the size in, so boxes nest like the tree they are:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      size (header included)                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      type (four characters)                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | version (full boxes) |            flags (full boxes)          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal sealed class BoxWriter
{
    private byte[] _buffer;
    private readonly Stack<int> _open = new();

    public BoxWriter(int capacity = 4096) => _buffer = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public void Clear()
    {
        if (_open.Count != 0) throw new InvalidOperationException("a box is still open");
        Length = 0;
    }

    /// <summary>Opens a box of <paramref name="type"/> (four ASCII characters, or the MacRoman '©' as byte 0xA9).</summary>
    public void Begin(string type)
    {
        _open.Push(Length);
        UInt32(0);
        FourCc(type);
    }

    /// <summary>Opens a full box: a box whose body starts with a version byte and 24 bits of flags.</summary>
    public void BeginFull(string type, byte version, uint flags)
    {
        Begin(type);
        UInt32(((uint)version << 24) | (flags & 0xFFFFFF));
    }

    /// <summary>Closes the innermost open box and returns its offset in the buffer.</summary>
    public int End()
    {
        var start = _open.Pop();
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(start), checked((uint)(Length - start)));
        return start;
    }

    public void UInt8(byte value) => Span(1)[0] = value;

    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Span(2), value);

    public void UInt24(uint value)
    {
        var span = Span(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Span(4), value);

    public void UInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Span(8), value);

    public void Zeros(int count) => Span(count).Clear();

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Span(bytes.Length));

    /// <summary>A four-character code; '©' (U+00A9) is written as the single byte 0xA9, as iTunes-style tags want.</summary>
    public void FourCc(string code)
    {
        if (code.Length != 4) throw new ArgumentException($"a box type has four characters, not '{code}'", nameof(code));
        var span = Span(4);
        for (var i = 0; i < 4; i++) span[i] = code[i] <= 0xFF ? (byte)code[i] : throw new ArgumentException($"'{code}' is not a four-character code", nameof(code));
    }

    public void Utf8(string text) => Bytes(Encoding.UTF8.GetBytes(text));

    /// <summary>Overwrites a 32-bit value written earlier (e.g. a data offset known only once the box is complete).</summary>
    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(offset, 4), value);

    private Span<byte> Span(int count)
    {
        if (Length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
