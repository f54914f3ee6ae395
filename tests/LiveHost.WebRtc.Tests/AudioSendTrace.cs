using System.Buffers.Binary;
using LiveHost.WebRtc.Rooms;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// A viewer of a room's audio ring that sends nothing and records, for every Opus packet, the wall-clock instant the
/// room released it to its viewers (the nudge) and its RTP timestamp. The packet's lateness is how much later it left
/// than the earliest packet did, relative to their media time: what a receiver sees as arrival jitter, from the sender's
/// side (a stall that releases queued packets in one burst shows as a step up and back down).
/// </summary>
internal sealed class AudioSendTrace : IRoomViewer
{
    private readonly RtpPacketRing _ring;
    private readonly byte[] _buffer;
    private readonly Lock _gate = new();
    private readonly List<(double SentMs, uint Timestamp)> _packets = [];
    private long _next;

    public AudioSendTrace(RtpPacketRing ring)
    {
        _ring = ring;
        _buffer = new byte[ring.SlotSize];
        _next = ring.Head;
    }

    /// <summary>Called on the room's audio or video loop at each release: reads what it released (cheap, never blocks for long).</summary>
    public void PacketsAvailable()
    {
        var now = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        lock (_gate)
        {
            for (; _next < _ring.Head; _next++)
            {
                if (!_ring.TryCopy(_next, _buffer, out var length, out _) || length < 12) continue;
                _packets.Add((now, BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(4))));
            }
        }
    }

    /// <summary>Each packet's release (Unix ms) and lateness (ms, 0 for the earliest relative to its media time).</summary>
    public IReadOnlyList<(double SentMs, double LateMs)> Lateness()
    {
        lock (_gate)
        {
            if (_packets.Count == 0) return [];
            var first = _packets[0];
            var relative = _packets.Select(p => (p.SentMs, Rel: p.SentMs - first.SentMs - (uint)(p.Timestamp - first.Timestamp) / 48.0)).ToList();
            var min = relative.Min(r => r.Rel);
            return relative.Select(r => (r.SentMs, r.Rel - min)).ToList();
        }
    }
}
