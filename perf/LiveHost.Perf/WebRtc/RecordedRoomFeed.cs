using System.Buffers.Binary;
using System.Diagnostics;
using LiveHost.WebRtc.Rooms;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// Plays a <see cref="RoomPacketRecording"/> into a fresh pair of the product's <see cref="RtpPacketRing"/>s at the pace
/// it was recorded, looping, and nudges every viewer after each batch exactly as the room's stream does. Sequence
/// numbers and timestamps carry on across loops, so each viewer's SRTP context sees one continuous stream. Runs on its
/// own thread ("fanout-feed"): the stand-in for the room, so the room's drawing and encoding stay out of the figures.
/// To each viewer's <see cref="LiveHost.WebRtc.Sessions.ViewerMediaSender"/> it is the room: rings, SSRCs, the RTP clocks
/// for sender reports. Keyframe requests are ignored: the recording's own keyframes (every 2 s) restart a picture.
/// </summary>
public sealed class RecordedRoomFeed : IRoomPacketSource, IDisposable
{
    private readonly IReadOnlyList<RecordedBatch> _batches;
    private readonly double _loopSeconds;
    private readonly Thread _thread;
    private volatile IRoomViewer[] _viewers = [];
    private volatile bool _stopping;
    private ushort _videoSequence = 1000;
    private ushort _audioSequence = 2000;
    private long _packetsWritten;
    private long _start;
    private readonly (uint Timestamp, double OffsetSeconds) _firstVideo;
    private readonly (uint Timestamp, double OffsetSeconds) _firstAudio;

    public RecordedRoomFeed(RoomPacketRecording recording)
    {
        _batches = recording.Batches;
        if (_batches.Count < 2) throw new InvalidOperationException("the recording holds no packets");
        // One frame's worth after the last batch, so the loop's seam keeps the recorded frame rate.
        _loopSeconds = _batches[^1].OffsetSeconds + 0.04;
        Video = new RtpPacketRing(recording.VideoRingCapacity, recording.SlotSize);
        Audio = new RtpPacketRing(recording.VideoRingCapacity, recording.SlotSize);
        (VideoSsrc, _firstVideo) = First(isVideo: true);
        (AudioSsrc, _firstAudio) = First(isVideo: false);
        _thread = new Thread(Run) { IsBackground = true, Name = "fanout-feed" };
    }

    public RtpPacketRing Video { get; }
    public RtpPacketRing Audio { get; }
    public uint VideoSsrc { get; }
    public uint AudioSsrc { get; }
    public string CName => "fanout-benchmark";
    public long PacketsWritten => Interlocked.Read(ref _packetsWritten);
    public bool CanReportTime => Interlocked.Read(ref _start) != 0;

    public void Start()
    {
        Interlocked.Exchange(ref _start, Stopwatch.GetTimestamp());
        _thread.Start();
    }

    public (uint Video, uint Audio) RtpTimestampsNow()
    {
        var seconds = Stopwatch.GetElapsedTime(Interlocked.Read(ref _start)).TotalSeconds;
        return (unchecked(_firstVideo.Timestamp + (uint)((seconds - _firstVideo.OffsetSeconds) * 90_000)),
                unchecked(_firstAudio.Timestamp + (uint)((seconds - _firstAudio.OffsetSeconds) * 48_000)));
    }

    // Each viewer's own counters hold its drops (FanoutViewer.Dropped); the room-wide sum is not reported.
    public void CountViewerDrops(long packets)
    {
    }

    // The recording's own keyframes (every 2 s) restart a picture; nothing to ask.
    public void RequestKeyframe()
    {
    }

    private (uint Ssrc, (uint Timestamp, double OffsetSeconds) First) First(bool isVideo)
    {
        foreach (var batch in _batches)
        {
            foreach (var packet in batch.Packets)
            {
                if (packet.IsVideo != isVideo) continue;
                return (BinaryPrimitives.ReadUInt32BigEndian(packet.Bytes.AsSpan(8)),
                        (BinaryPrimitives.ReadUInt32BigEndian(packet.Bytes.AsSpan(4)), batch.OffsetSeconds));
            }
        }
        throw new InvalidOperationException($"the recording holds no {(isVideo ? "video" : "audio")} packets");
    }

    public void AddViewer(IRoomViewer viewer) => _viewers = [.. _viewers, viewer];

    public void RemoveViewers(IReadOnlyCollection<IRoomViewer> viewers) => _viewers = [.. _viewers.Where(v => !viewers.Contains(v))];

    private void Run()
    {
        var start = Interlocked.Read(ref _start);
        for (var loop = 0L; !_stopping; loop++)
        {
            foreach (var batch in _batches)
            {
                var due = loop * _loopSeconds + batch.OffsetSeconds;
                while (!_stopping)
                {
                    var wait = due - Stopwatch.GetElapsedTime(start).TotalSeconds;
                    if (wait <= 0) break;
                    if (wait > 0.002) Thread.Sleep(TimeSpan.FromSeconds(wait - 0.001));
                    else Thread.Yield();
                }
                if (_stopping) return;
                foreach (var packet in batch.Packets) Write(packet, loop);
                foreach (var viewer in _viewers) viewer.PacketsAvailable();
            }
        }
    }

    private bool _inKeyframe;

    private void Write(RecordedPacket packet, long loop)
    {
        var ring = packet.IsVideo ? Video : Audio;
        if (packet.StartsKeyframe)
        {
            ring.MarkNextAsKeyframeStart();
            _inKeyframe = packet.IsVideo;
        }
        var slot = ring.GetPacketBuffer(packet.Bytes.Length);
        packet.Bytes.CopyTo(slot);
        var sequence = packet.IsVideo ? _videoSequence++ : _audioSequence++;
        BinaryPrimitives.WriteUInt16BigEndian(slot[2..], sequence);
        var clockRate = packet.IsVideo ? 90_000 : 48_000;
        var timestamp = BinaryPrimitives.ReadUInt32BigEndian(slot[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(slot[4..], unchecked(timestamp + (uint)(loop * _loopSeconds * clockRate)));
        ring.CommitPacket(packet.Bytes.Length);
        // The RTP marker bit ends a video frame (RFC 6184 5.1): the keyframe is complete.
        if (packet.IsVideo && _inKeyframe && (packet.Bytes[1] & 0x80) != 0)
        {
            ring.CompleteKeyframe();
            _inKeyframe = false;
        }
        Interlocked.Increment(ref _packetsWritten);
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(2));
    }
}
