using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Tests.Support;

/// <summary>
/// TEST-ONLY RFC 6184 depacketizer: single NAL units, STAP-A and FU-A back to NAL units, grouped into access units
/// by the marker bit. Throws on anything a conforming receiver would reject, so a packetizer bug fails the test.
/// </summary>
public sealed class H264TestDepacketizer
{
    private readonly List<byte> _fragment = [];
    private bool _inFragment;
    private List<byte[]> _current = [];
    private uint? _currentTimestamp;
    private ushort? _lastSequence;

    public List<(uint Timestamp, List<byte[]> NalUnits)> AccessUnits { get; } = [];

    public void Push(ReadOnlySpan<byte> packet)
    {
        if (!RtpHeader.TryParsePacket(packet, out var header, out var payload)) throw new InvalidDataException("not RTP");
        if (_lastSequence is { } last && (ushort)(last + 1) != header.SequenceNumber) throw new InvalidDataException("sequence gap");
        _lastSequence = header.SequenceNumber;
        if (_currentTimestamp is { } ts && ts != header.Timestamp) throw new InvalidDataException("timestamp changed inside an access unit");
        _currentTimestamp = header.Timestamp;
        if (payload.IsEmpty) throw new InvalidDataException("empty payload");
        if ((payload[0] & 0x80) != 0) throw new InvalidDataException("F bit set");

        var type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                if (_inFragment) throw new InvalidDataException("single NAL inside a fragmented NAL");
                _current.Add(payload.ToArray());
                break;
            case 24:
                if (_inFragment) throw new InvalidDataException("STAP-A inside a fragmented NAL");
                var units = payload[1..];
                while (!units.IsEmpty)
                {
                    var size = BinaryPrimitives.ReadUInt16BigEndian(units);
                    if (size == 0 || size > units.Length - 2) throw new InvalidDataException("bad STAP-A size");
                    _current.Add(units.Slice(2, size).ToArray());
                    units = units[(2 + size)..];
                }
                break;
            case 28:
                var fuHeader = payload[1];
                var start = (fuHeader & 0x80) != 0;
                var end = (fuHeader & 0x40) != 0;
                if ((fuHeader & 0x20) != 0) throw new InvalidDataException("FU header R bit set");
                if (start && end) throw new InvalidDataException("S and E both set");
                if (start)
                {
                    if (_inFragment) throw new InvalidDataException("FU-A start inside a fragment");
                    _fragment.Clear();
                    _fragment.Add((byte)((payload[0] & 0xE0) | (fuHeader & 0x1F)));
                    _inFragment = true;
                }
                else if (!_inFragment) throw new InvalidDataException("FU-A continuation without start");
                else if ((_fragment[0] & 0x1F) != (fuHeader & 0x1F) || (_fragment[0] & 0xE0) != (payload[0] & 0xE0))
                {
                    throw new InvalidDataException("FU-A fragments disagree on type or NRI");
                }
                _fragment.AddRange(payload[2..].ToArray());
                if (end)
                {
                    _current.Add([.. _fragment]);
                    _inFragment = false;
                }
                break;
            default:
                throw new InvalidDataException($"packet type {type} not in packetization-mode 1 from a sender");
        }

        if (header.Marker)
        {
            if (_inFragment) throw new InvalidDataException("marker inside a fragmented NAL");
            AccessUnits.Add((header.Timestamp, _current));
            _current = [];
            _currentTimestamp = null;
        }
    }
}
