using System.Net;
using System.Net.Sockets;
using LiveHost.WebRtc.Rooms;

namespace LiveHost.Perf.WebRtc.Janus;

/// <summary>
/// Feeds Janus's RTP mountpoint the packets <see cref="RecordedRoomFeed"/> writes into its rings, as plain RTP on
/// loopback (one socket, video to one port and audio to the other): attached as one more viewer of the feed, it sends
/// what is new on every nudge, on the feed's thread. LiveHost's viewers and Janus's thus get the same stream at the
/// same moments. The payload type is rewritten to the mountpoint's.
/// </summary>
public sealed class RtpForwarder(RecordedRoomFeed feed, int audioPort, int videoPort) : IRoomViewer, IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly SocketAddress _audio = new IPEndPoint(IPAddress.Loopback, audioPort).Serialize();
    private readonly SocketAddress _video = new IPEndPoint(IPAddress.Loopback, videoPort).Serialize();
    private readonly byte[] _buffer = new byte[2048];
    private long _videoCursor = feed.Video.Head;
    private long _audioCursor = feed.Audio.Head;
    private long _forwarded;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public void PacketsAvailable()
    {
        Forward(feed.Video, ref _videoCursor, _video, JanusServer.VideoPayloadType);
        Forward(feed.Audio, ref _audioCursor, _audio, JanusServer.AudioPayloadType);
    }

    private void Forward(RtpPacketRing ring, ref long cursor, SocketAddress to, byte payloadType)
    {
        var head = ring.Head;
        cursor = Math.Max(cursor, head - ring.Capacity);
        for (; cursor < head; cursor++)
        {
            if (!ring.TryCopy(cursor, _buffer, out var length, out _)) continue;
            _buffer[1] = (byte)((_buffer[1] & 0x80) | payloadType);
            try
            {
                _socket.SendTo(_buffer.AsSpan(0, length), SocketFlags.None, to);
                Interlocked.Increment(ref _forwarded);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return; // Janus gone or the run ending: the feed goes on for LiveHost's viewers
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
