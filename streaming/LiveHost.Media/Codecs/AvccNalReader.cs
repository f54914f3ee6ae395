using System.Buffers.Binary;

namespace LiveHost.Media.Codecs;

/// <summary>
/// Walks the NAL units of one AVCC access unit (each NAL unit preceded by its big-endian length, ISO 14496-15)
/// without copying. A length that does not fit, or a zero length, stops the walk and sets <see cref="IsMalformed"/>.
/// <code>
/// foreach (var nal in new AvccNalReader(frame.Data.Span)) { ... }
/// </code>
/// </summary>
public ref struct AvccNalReader
{
    private ReadOnlySpan<byte> _remaining;
    private readonly int _lengthSize;

    /// <param name="lengthSize">Bytes in each length prefix: 1, 2 or 4 (LiveHost always uses 4).</param>
    public AvccNalReader(ReadOnlySpan<byte> accessUnit, int lengthSize = 4)
    {
        if (lengthSize is not (1 or 2 or 4)) throw new ArgumentOutOfRangeException(nameof(lengthSize), lengthSize, "AVCC lengths are 1, 2 or 4 bytes");
        _remaining = accessUnit;
        _lengthSize = lengthSize;
        Current = default;
        IsMalformed = false;
    }

    /// <summary>The NAL unit (header byte first) found by the last successful <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>True once a length prefix was truncated, zero, or longer than the bytes left.</summary>
    public bool IsMalformed { get; private set; }

    public readonly AvccNalReader GetEnumerator() => this;

    public bool MoveNext()
    {
        Current = default;
        if (_remaining.IsEmpty || IsMalformed) return false;
        if (_remaining.Length < _lengthSize) return Fail();

        uint length = _lengthSize switch
        {
            4 => BinaryPrimitives.ReadUInt32BigEndian(_remaining),
            2 => BinaryPrimitives.ReadUInt16BigEndian(_remaining),
            _ => _remaining[0],
        };
        var body = _remaining[_lengthSize..];
        if (length == 0 || length > (uint)body.Length) return Fail();

        Current = body[..(int)length];
        _remaining = body[(int)length..];
        return true;
    }

    private bool Fail()
    {
        IsMalformed = true;
        _remaining = default;
        return false;
    }

    /// <summary>
    /// Checks that a whole access unit is well formed (every length fits, no NAL unit is empty or has the
    /// forbidden bit set) and summarises what it holds.
    /// </summary>
    public static bool TryInspect(ReadOnlySpan<byte> accessUnit, out AvccAccessUnitInfo info, int lengthSize = 4)
    {
        var count = 0;
        bool idr = false, nonIdr = false, sps = false, pps = false;
        var reader = new AvccNalReader(accessUnit, lengthSize);
        while (reader.MoveNext())
        {
            var nal = reader.Current;
            if (H264Nal.HasForbiddenBit(nal[0]))
            {
                info = default;
                return false;
            }
            count++;
            switch (H264Nal.TypeOf(nal))
            {
                case H264NalType.IdrSlice: idr = true; break;
                case H264NalType.NonIdrSlice or H264NalType.PartitionA: nonIdr = true; break;
                case H264NalType.Sps: sps = true; break;
                case H264NalType.Pps: pps = true; break;
            }
        }
        info = new AvccAccessUnitInfo(count, idr, nonIdr, sps, pps);
        return !reader.IsMalformed && count > 0;
    }
}

/// <summary>What one AVCC access unit holds.</summary>
public readonly record struct AvccAccessUnitInfo(int NalCount, bool HasIdrSlice, bool HasNonIdrSlice, bool HasSps, bool HasPps);
