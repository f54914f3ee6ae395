using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Rtp.Extensions;
using LiveHost.WebRtc.Rtp.Rtcp;
using LiveHost.WebRtc.Rtp.Timing;
using LiveHost.WebRtc.Srtp;

namespace LiveHost.WebRtc.Sessions;

/// <summary>
/// The sending half of one viewer, with no ICE or DTLS in it: once started with the viewer's SRTP context and address,
/// every nudge from the room drains this viewer's cursors into <see cref="ViewerPacketSender"/>'s batch, answers
/// queued NACKs from the rings, sends the pass's packets in one batch (one system call for a frame) and a sender
/// report a second. A viewer that falls more than its queue behind is cut forward to
/// live (video from the newest keyframe), the skipped packets counted. <see cref="ViewerSession"/> owns one; the fan-out
/// benchmark in perf/ drives the same class, so its figures are this code's.
/// </summary>
public sealed class ViewerMediaSender : IRoomViewer
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeyframeRequestInterval = TimeSpan.FromMilliseconds(500);
    private const int MaxQueuedNacks = 512;

    private readonly IRoomPacketSource _room;
    private readonly ViewerPacketSender _packets;
    private readonly ViewerCounters _counters;
    private readonly TimeProvider _time;
    private readonly int _queuePackets;
    private readonly byte _videoPayloadType;
    private readonly byte _audioPayloadType;
    private readonly OneByteExtensionElement? _videoExtension;
    private readonly RingCursor _video;
    private readonly RingCursor _audio;
    private readonly ConcurrentQueue<ushort> _nacks = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private volatile SrtpContext? _srtp;
    private volatile SocketAddress? _remote;
    private long _lastReport;
    private long _lastKeyframeRequest;

    /// <param name="videoExtension">An RTP header extension element added to every video packet (playout delay), or null.</param>
    public ViewerMediaSender(IRoomPacketSource room, ViewerPacketSender packets, int queuePackets, byte videoPayloadType, byte audioPayloadType,
        TimeProvider time, OneByteExtensionElement? videoExtension = null)
    {
        _videoExtension = videoExtension;
        _room = room;
        _packets = packets;
        _counters = packets.Counters;
        _time = time;
        _queuePackets = queuePackets;
        _videoPayloadType = videoPayloadType;
        _audioPayloadType = audioPayloadType;
        _video = new RingCursor(room.Video, queuePackets, startAtKeyframe: true);
        _audio = new RingCursor(room.Audio, queuePackets, startAtKeyframe: false);
    }

    /// <summary>Where packets go (DTLS too): null until ICE has validated a path; the session moves it when ICE nominates another.</summary>
    public SocketAddress? Remote
    {
        get => _remote;
        set => _remote = value;
    }

    /// <summary>
    /// Starts sending to <see cref="Remote"/> with <paramref name="srtp"/>: video from the current keyframe when it
    /// is recent (a quick first picture without a long catch-up burst), else from the next, with a keyframe asked for;
    /// audio from live. Call once, before the room starts nudging this viewer.
    /// </summary>
    public void Start(SrtpContext srtp)
    {
        var earliestKeyframe = Math.Max(0, _room.Video.Head - _queuePackets / 2);
        _video.Join(earliestKeyframe);
        _audio.Join(0);
        _srtp = srtp;
        if (_room.Video.LastKeyframeStart < earliestKeyframe) RequestKeyframe();
        Wake();
    }

    /// <summary>The room wrote packets (or a NACK came): never blocks, coalesces.</summary>
    public void PacketsAvailable() => Wake();

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Queues a lost sequence number (from the receive thread) for the send loop to resend from the rings; call
    /// <see cref="PacketsAvailable"/> after the last of a NACK's.
    /// </summary>
    public void QueueRetransmission(ushort sequence)
    {
        if (_nacks.Count < MaxQueuedNacks) _nacks.Enqueue(sequence);
    }

    /// <summary>Asks the room for a keyframe, at most once per 500 ms for this viewer.</summary>
    public void RequestKeyframe()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastKeyframeRequest);
        if (last != 0 && _time.GetElapsedTime(last, now) < KeyframeRequestInterval) return;
        Interlocked.Exchange(ref _lastKeyframeRequest, now);
        _room.RequestKeyframe();
    }

    /// <summary>Sends until <see cref="Stop"/>; before <see cref="Start"/> nudges are ignored.</summary>
    public async Task RunAsync()
    {
        // No token: with one the channel allocates a waiter per wake; Stop completes the channel instead.
        while (await _wake.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            if (_srtp is not { } srtp || _remote is not { } remote) continue;
            // Whether this pass reports is decided by when it began: a report then covers every packet the pass sent,
            // never one the room wrote after the second was up.
            var passStart = _time.GetTimestamp();
            try
            {
                SendRetransmissions(srtp, remote);
                DrainVideo(srtp, remote);
                DrainAudio(srtp, remote);
                CountRefused(_packets.Flush(remote));
            }
            finally
            {
                _packets.Release(); // only after a failure is anything still held
            }
            MaybeSendReports(srtp, remote, passStart);
        }
    }

    /// <summary>Ends <see cref="RunAsync"/> after its current pass; idempotent.</summary>
    public void Stop() => _wake.Writer.TryComplete();

    private void DrainVideo(SrtpContext srtp, SocketAddress remote)
    {
        while (true)
        {
            if (_video.TryNext(_packets.NextSlot, out var length, out var skipped))
            {
                if (skipped > 0) CountDropped(skipped); // jumped ahead to a newer keyframe: no request needed
                CountRefused(_packets.QueueMedia(WithVideoExtension(length), _videoPayloadType, srtp, remote, MediaTrack.Video));
                continue;
            }
            if (skipped > 0)
            {
                // Too far behind: skipped to live; the picture resumes cleanly at the next keyframe.
                CountDropped(skipped);
                RequestKeyframe();
            }
            return;
        }
    }

    private void DrainAudio(SrtpContext srtp, SocketAddress remote)
    {
        while (true)
        {
            if (_audio.TryNext(_packets.NextSlot, out var length, out var skipped))
            {
                CountRefused(_packets.QueueMedia(length, _audioPayloadType, srtp, remote, MediaTrack.Audio));
                continue;
            }
            if (skipped > 0) CountDropped(skipped);
            return;
        }
    }

    // The room's packets carry no extension (one packetization for all viewers); this viewer's ID is added here, in the
    // batch slot the packet was copied into.
    private int WithVideoExtension(int length) => _videoExtension is { } extension ? extension.AddTo(_packets.NextSlot, length) : length;

    private void CountRefused(int packets)
    {
        if (packets > 0) CountDropped(packets);
    }

    private void CountDropped(long packets)
    {
        Interlocked.Add(ref _counters.PacketsDroppedField, packets);
        _room.CountViewerDrops(packets);
    }

    private void SendRetransmissions(SrtpContext srtp, SocketAddress remote)
    {
        while (_nacks.TryDequeue(out var sequence))
        {
            RtpPacketRing ring;
            byte payloadType;
            if (_room.Video.TryFindSequence(sequence, out var index)) { ring = _room.Video; payloadType = _videoPayloadType; }
            else if (_room.Audio.TryFindSequence(sequence, out index)) { ring = _room.Audio; payloadType = _audioPayloadType; }
            else continue;
            if (!_packets.TryCopy(ring, index, out var length)) continue;
            if (ring == _room.Video) length = WithVideoExtension(length);
            CountRefused(_packets.QueueMedia(length, payloadType, srtp, remote, MediaTrack.Retransmission));
            Interlocked.Increment(ref _counters.RetransmissionsField);
        }
    }

    private void MaybeSendReports(SrtpContext srtp, SocketAddress remote, long now)
    {
        if ((_lastReport != 0 && _time.GetElapsedTime(_lastReport, now) < ReportInterval) || !_room.CanReportTime) return;
        _lastReport = now;
        var ntp = NtpTimestamp.FromDateTimeOffset(_time.GetUtcNow());
        var (videoRtp, audioRtp) = _room.RtpTimestampsNow();
        if (_packets.PacketsSent(MediaTrack.Video) is > 0 and var video)
        {
            SendReport(srtp, remote, new RtcpSenderReport(_room.VideoSsrc, ntp, videoRtp, (uint)video, (uint)_packets.OctetsSent(MediaTrack.Video)));
        }
        if (_packets.PacketsSent(MediaTrack.Audio) is > 0 and var audio)
        {
            SendReport(srtp, remote, new RtcpSenderReport(_room.AudioSsrc, ntp, audioRtp, (uint)audio, (uint)_packets.OctetsSent(MediaTrack.Audio)));
        }
    }

    private void SendReport(SrtpContext srtp, SocketAddress remote, RtcpSenderReport report)
    {
        var length = report.WriteCompoundWithCname(_packets.Buffer, _room.CName);
        _packets.SendRtcp(length, srtp, remote);
    }
}
