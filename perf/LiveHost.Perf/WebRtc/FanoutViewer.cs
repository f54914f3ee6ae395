using System.Net;
using System.Security.Cryptography;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Sessions;
using LiveHost.WebRtc.Srtp;
using LiveHost.WebRtc.Transport;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// One benchmark viewer: a <see cref="ViewerSession"/> without ICE and DTLS. The product's own
/// <see cref="ViewerMediaSender"/> (cursors, keyframe joins, cut-forward, NACK queue, sender reports) and
/// <see cref="ViewerPacketSender"/> (copy, payload type, SRTP, socket), with an SRTP context of random keys of the
/// profile a browser negotiates, started as a session starts it once DTLS is done.
/// </summary>
public sealed class FanoutViewer : IRoomViewer, IDisposable
{
    // Chromium's usual numbers for H.264 and Opus: the rewrite happens, as it does for a real browser.
    private const byte VideoPayloadType = 102;
    private const byte AudioPayloadType = 111;

    private readonly SrtpContext _srtp;
    private readonly ViewerMediaSender _media;

    public FanoutViewer(IRoomPacketSource room, int queuePackets, UdpMux mux, SocketAddress remote, SrtpProfile profile, int maxBatch)
    {
        var saltLength = profile == SrtpProfile.AeadAes128Gcm ? 12 : 14;
        _srtp = new SrtpContext(profile, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(saltLength));
        _media = new ViewerMediaSender(room, new ViewerPacketSender(mux, Counters, maxBatch: maxBatch), queuePackets, VideoPayloadType, AudioPayloadType,
            TimeProvider.System) { Remote = remote };
        _media.Start(_srtp);
    }

    public ViewerCounters Counters { get; } = new();

    /// <summary>Packets skipped because the viewer fell more than its queue behind, and sends the kernel refused.</summary>
    public long Dropped => Counters.PacketsDropped;

    public void PacketsAvailable() => _media.PacketsAvailable();

    /// <summary>Sends until <see cref="Stop"/>.</summary>
    public Task RunAsync() => _media.RunAsync();

    public void Stop() => _media.Stop();

    public void Dispose()
    {
        _media.Stop();
        _srtp.Dispose();
    }
}
