using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.H264;

/// <summary>
/// Walks the NAL units of an AVCC access unit (each prefixed by its 4-byte big-endian length, ISO 14496-15 §5.3.4.2
/// with lengthSizeMinusOne = 3) without copying. Stops with <see cref="IsMalformed"/> at a length that does not fit.
/// </summary>
public ref struct AvccNalUnitReader
{
    public const int LengthPrefixSize = 4;

    private readonly ReadOnlySpan<byte> _accessUnit;
    private int _offset;

    public AvccNalUnitReader(ReadOnlySpan<byte> accessUnit)
    {
        _accessUnit = accessUnit;
        _offset = 0;
        IsMalformed = false;
    }

    /// <summary>True once a length prefix was truncated, zero, or longer than the bytes left.</summary>
    public bool IsMalformed { get; private set; }

    public bool TryReadNext(out ReadOnlySpan<byte> nalUnit)
    {
        nalUnit = default;
        if (IsMalformed || _offset == _accessUnit.Length) return false;
        var remaining = _accessUnit.Length - _offset;
        if (remaining < LengthPrefixSize)
        {
            IsMalformed = true;
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(_accessUnit[_offset..]);
        if (length == 0 || length > (uint)(remaining - LengthPrefixSize))
        {
            IsMalformed = true;
            return false;
        }
        nalUnit = _accessUnit.Slice(_offset + LengthPrefixSize, (int)length);
        _offset += LengthPrefixSize + (int)length;
        return true;
    }

    /// <summary>True when the whole access unit is well-formed AVCC.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> accessUnit)
    {
        var reader = new AvccNalUnitReader(accessUnit);
        while (reader.TryReadNext(out _))
        {
        }
        return !reader.IsMalformed;
    }
}
