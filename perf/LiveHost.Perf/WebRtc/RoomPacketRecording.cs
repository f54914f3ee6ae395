using System.Diagnostics;
using LiveHost.WebRtc.Rooms;

namespace LiveHost.Perf.WebRtc;

/// <summary>One packet as the room wrote it into a ring.</summary>
public sealed record RecordedPacket(bool IsVideo, byte[] Bytes, bool StartsKeyframe);

/// <summary>The packets one nudge of the room announced (a video frame's packets, or an Opus frame's), and when.</summary>
public sealed record RecordedBatch(double OffsetSeconds, IReadOnlyList<RecordedPacket> Packets);

/// <summary>
/// A room's real WebRTC packet stream, captured from its rings the way a viewer reads them: attached as a viewer, on
/// every nudge it copies the packets that are new since the last one. Replayed by <see cref="RecordedRoomFeed"/>.
/// </summary>
public sealed class RoomPacketRecording : IRoomViewer
{
    private readonly WebRtcRoomStream _room;
    private readonly List<RecordedBatch> _batches = [];
    private readonly Lock _gate = new();
    private readonly byte[] _copy = new byte[4096];
    private long _videoCursor;
    private long _audioCursor;
    private long _start;
    private bool _recording;

    public RoomPacketRecording(WebRtcRoomStream room)
    {
        _room = room;
    }

    public int VideoRingCapacity => _room.Video.Capacity;
    public int SlotSize => _room.Video.SlotSize;

    public IReadOnlyList<RecordedBatch> Batches { get { lock (_gate) return [.. _batches]; } }

    /// <summary>Seconds covered (first batch to last).</summary>
    public double DurationSeconds { get { lock (_gate) return _batches.Count == 0 ? 0 : _batches[^1].OffsetSeconds; } }

    public void Start()
    {
        lock (_gate)
        {
            _videoCursor = _room.Video.Head;
            _audioCursor = _room.Audio.Head;
            _start = Stopwatch.GetTimestamp();
            _recording = true;
        }
        _room.AddViewer(this);
    }

    public void Stop()
    {
        _room.RemoveViewer(this);
        lock (_gate) _recording = false;
    }

    // Called by the room's video and audio loops, possibly at once.
    public void PacketsAvailable()
    {
        lock (_gate)
        {
            if (!_recording) return;
            var packets = new List<RecordedPacket>();
            Take(_room.Video, ref _videoCursor, true, packets);
            Take(_room.Audio, ref _audioCursor, false, packets);
            if (packets.Count > 0) _batches.Add(new RecordedBatch(Stopwatch.GetElapsedTime(_start).TotalSeconds, packets));
        }
    }

    private void Take(RtpPacketRing ring, ref long cursor, bool video, List<RecordedPacket> into)
    {
        var head = ring.Head;
        for (; cursor < head; cursor++)
        {
            if (ring.TryCopy(cursor, _copy, out var length, out var keyframe)) into.Add(new RecordedPacket(video, _copy.AsSpan(0, length).ToArray(), keyframe));
        }
    }
}
