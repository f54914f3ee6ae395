using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Sessions;
using LiveHost.WebRtc.Srtp;
using LiveHost.WebRtc.Transport;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// One benchmark viewer: the live part of <see cref="ViewerSession"/> without ICE and DTLS. Its own SRTP context
/// (random keys of the profile a browser negotiates), the product's <see cref="RingCursor"/>s (bounded lag, video
/// joins at a keyframe) and <see cref="ViewerPacketSender"/> (copy, payload type, SRTP, socket), and a send loop shaped
/// like the session's: woken through a one-slot channel on every room nudge, it drains both cursors. (No keyframe
/// request when video is cut forward: the recorded stream's own keyframes restart it.)
/// </summary>
public sealed class FanoutViewer : IRoomViewer, IDisposable
{
    // Chromium's usual numbers for H.264 and Opus: the rewrite happens, as it does for a real browser.
    private const byte VideoPayloadType = 102;
    private const byte AudioPayloadType = 111;

    private readonly RingCursor _video;
    private readonly RingCursor _audio;
    private readonly SocketAddress _remote;
    private readonly SrtpContext _srtp;
    private readonly ViewerPacketSender _sender;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private long _videoPackets, _videoOctets, _audioPackets, _audioOctets;
    private long _lagDrops;
    private long _sendFailures;

    public FanoutViewer(RtpPacketRing video, RtpPacketRing audio, int queuePackets, UdpMux mux, SocketAddress remote, SrtpProfile profile)
    {
        _video = new RingCursor(video, queuePackets, startAtKeyframe: true);
        _audio = new RingCursor(audio, queuePackets, startAtKeyframe: false);
        _remote = remote;
        var saltLength = profile == SrtpProfile.AeadAes128Gcm ? 12 : 14;
        _srtp = new SrtpContext(profile, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(saltLength));
        _sender = new ViewerPacketSender(mux, Counters);
        // As a session does once DTLS is done: video from a recent keyframe (or the next), audio from live.
        _video.Join(Math.Max(0, video.Head - queuePackets / 2));
        _audio.Join(0);
    }

    public ViewerCounters Counters { get; } = new();

    /// <summary>Packets skipped because the viewer fell more than its queue behind, and sends the kernel refused.</summary>
    public long Dropped => Interlocked.Read(ref _lagDrops) + Interlocked.Read(ref _sendFailures);

    public void PacketsAvailable() => _wake.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // As ViewerSession waits: without a token (a cancellable one makes the bounded channel allocate a waiter
            // per wake); the token is registered to complete the channel instead, which ends the loop.
            using var stop = cancellationToken.Register(() => _wake.Writer.TryComplete());
            while (await _wake.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                Drain(_video, VideoPayloadType, ref _videoPackets, ref _videoOctets);
                Drain(_audio, AudioPayloadType, ref _audioPackets, ref _audioOctets);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Drain(RingCursor cursor, byte payloadType, ref long packets, ref long octets)
    {
        while (true)
        {
            if (cursor.TryNext(_sender.Buffer, out var length, out var skipped))
            {
                if (skipped > 0) Interlocked.Add(ref _lagDrops, skipped); // jumped to a newer keyframe
                if (!_sender.SendMedia(length, payloadType, _srtp, _remote, ref packets, ref octets)) Interlocked.Increment(ref _sendFailures);
                continue;
            }
            if (skipped > 0) Interlocked.Add(ref _lagDrops, skipped);
            return;
        }
    }

    public void Dispose()
    {
        _wake.Writer.TryComplete();
        _srtp.Dispose();
    }
}
