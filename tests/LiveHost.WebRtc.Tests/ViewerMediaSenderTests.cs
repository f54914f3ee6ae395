using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Rtp.Extensions;
using LiveHost.WebRtc.Sessions;
using LiveHost.WebRtc.Srtp;
using LiveHost.WebRtc.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.WebRtc.Tests;

public sealed class ViewerMediaSenderTests : IDisposable
{
    private const int QueuePackets = 64;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly TestRoom _room = new();
    private readonly Socket _viewer = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly UdpMux _mux = new(new IPEndPoint(IPAddress.Loopback, 0), NullLogger<UdpMux>.Instance);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(16);
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(14);
    private readonly SrtpContext _serverSrtp;
    private readonly SrtpContext _viewerSrtp;
    private readonly FakeTimeProvider _time = new();
    private readonly ViewerMediaSender _sender;
    private readonly Task _loop;
    private ushort _videoSequence = 100;
    private ushort _audioSequence = 9000;

    public ViewerMediaSenderTests()
    {
        _viewer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _viewer.ReceiveTimeout = (int)Patience.TotalMilliseconds;
        _serverSrtp = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, _key, _salt);
        _viewerSrtp = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, _key, _salt);
        _sender = new ViewerMediaSender(_room, new ViewerPacketSender(_mux, Counters), QueuePackets, videoPayloadType: 102, audioPayloadType: 111,
            _time) { Remote = _viewer.LocalEndPoint!.Serialize() };
        _loop = Task.Run(_sender.RunAsync);
    }

    private ViewerCounters Counters { get; } = new();

    [Fact]
    public void Nothing_is_sent_before_the_viewer_has_keys()
    {
        WriteKeyframe(packets: 3);
        _sender.PacketsAvailable();

        Assert.Null(TryReceive(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, Counters.PacketsSent);
    }

    [Fact]
    public void A_started_viewer_gets_the_recent_keyframe_then_live_packets_decryptable_with_its_payload_types()
    {
        WriteDelta(packets: 2); // before any keyframe: useless to a new viewer
        WriteKeyframe(packets: 3);
        WriteAudio(packets: 1); // audio starts at live: this one is past

        _sender.Start(_serverSrtp);
        var first = ReceiveRtp(3);
        WriteDelta(packets: 1);
        WriteAudio(packets: 1);
        _sender.PacketsAvailable();
        var next = ReceiveRtp(2);

        Assert.Equal([(102, 102), (102, 103), (102, 104)], first.Select(p => ((int)p.PayloadType, (int)p.Sequence)));
        // One pass or two: the loop may wake between the two writes.
        Assert.Equal([(102, 105), (111, 9001)], next.Select(p => ((int)p.PayloadType, (int)p.Sequence)).Order());
        Assert.Equal(0, _room.KeyframeRequests);
    }

    [Fact]
    public void A_viewer_joining_long_after_the_last_keyframe_asks_the_room_for_one_and_starts_there()
    {
        WriteKeyframe(packets: 2);
        WriteDelta(packets: QueuePackets); // the keyframe is now older than half a queue

        _sender.Start(_serverSrtp);
        Assert.Null(TryReceive(TimeSpan.FromMilliseconds(300)));
        WriteKeyframe(packets: 2);
        _sender.PacketsAvailable();
        var received = ReceiveRtp(2);

        Assert.Equal(1, _room.KeyframeRequests);
        Assert.Equal([(ushort)(100 + 2 + QueuePackets), (ushort)(100 + 3 + QueuePackets)], received.Select(p => p.Sequence));
    }

    [Fact]
    public void Keyframe_requests_are_passed_to_the_room_at_most_twice_a_second()
    {
        for (var i = 0; i < 10; i++) _sender.RequestKeyframe();
        var first = _room.KeyframeRequests;
        _time.Advance(TimeSpan.FromMilliseconds(499));
        _sender.RequestKeyframe();
        var before = _room.KeyframeRequests;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _sender.RequestKeyframe();

        Assert.Equal((1, 1, 2), (first, before, _room.KeyframeRequests));
    }

    [Fact]
    public void A_nacked_packet_still_in_the_ring_is_resent_and_counted()
    {
        WriteKeyframe(packets: 3);
        _sender.Start(_serverSrtp);
        // The viewer loses the second packet (decrypting it here would make its resend a replay, RFC 3711 3.3.2).
        ReceiveRtp(3, lost: 101);

        _sender.QueueRetransmission(101);
        _sender.QueueRetransmission(7); // never written: ignored
        _sender.PacketsAvailable();
        var resent = ReceiveRtp(1);
        // Counted just after the send: the packet can arrive first.
        SpinWait.SpinUntil(() => Counters.Retransmissions > 0, Patience);

        Assert.Equal(101, resent[0].Sequence);
        Assert.Equal(1, Counters.Retransmissions);
    }

    [Fact]
    public void Each_stream_the_viewer_was_sent_gets_a_sender_report_with_its_packet_count_once_a_second()
    {
        WriteKeyframe(packets: 2);
        _sender.Start(_serverSrtp);
        ReceiveRtp(2);
        var first = ReceiveReports(1); // no audio sent yet: a report for video only

        // Within the second: media, no report.
        WriteAudio(packets: 2);
        _sender.PacketsAvailable();
        ReceiveRtp(2);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        WriteDelta(packets: 1);
        _sender.PacketsAvailable();
        ReceiveRtp(1);
        // A second on: the next pass reports both streams, with what each had sent.
        _time.Advance(TimeSpan.FromMilliseconds(1));
        WriteAudio(packets: 1);
        _sender.PacketsAvailable();
        ReceiveRtp(1);
        var second = ReceiveReports(2);

        Assert.Equal([(TestRoom.VideoSsrcValue, 2u)], first);
        // A report sent early would have been read here, with smaller counts.
        Assert.Equal([(TestRoom.VideoSsrcValue, 3u), (TestRoom.AudioSsrcValue, 3u)], second.OrderBy(r => r.Ssrc));
    }

    [Fact]
    public async Task With_a_playout_delay_element_every_video_packet_carries_it_and_audio_none()
    {
        // The browser negotiated playout-delay as id 5; this viewer's sender adds it (the fixture's own sender never starts).
        var element = OneByteExtensionElement.PlayoutDelay(5, new PlayoutDelay(0, 40));
        var sender = new ViewerMediaSender(_room, new ViewerPacketSender(_mux, Counters), QueuePackets, videoPayloadType: 102, audioPayloadType: 111,
            _time, element) { Remote = _viewer.LocalEndPoint!.Serialize() };
        var loop = Task.Run(sender.RunAsync);
        WriteKeyframe(packets: 2);
        sender.Start(_serverSrtp);
        WriteAudio(packets: 1);
        sender.PacketsAvailable();

        var seen = new List<(int PayloadType, bool HasElement, int Length)>();
        while (seen.Count < 3)
        {
            var datagram = TryReceive(Patience) ?? throw new Xunit.Sdk.XunitException($"only {seen.Count} of 3 packets arrived");
            if (datagram[1] is >= 200 and <= 206) continue;
            // The extension is in the clear (SRTP encrypts the payload) and covered by the auth tag, which must verify.
            Assert.True(_viewerSrtp.TryUnprotectRtp(datagram, datagram.Length, out var length), "the viewer could not decrypt a packet");
            var found = OneByteHeaderExtension.TryFind(datagram.AsSpan(0, length), 5, out var data);
            if (found) Assert.Equal(new byte[] { 0x00, 0x00, 0x04 }, data.ToArray());
            seen.Add((datagram[1] & 0x7F, found, length));
        }
        sender.Stop();
        await loop.WaitAsync(Patience);

        // 200-byte ring packets: video grew by the 8-byte block (0xBEDE header + element), audio is untouched.
        Assert.Equal([(102, true, 208), (102, true, 208), (111, false, 200)], seen.OrderBy(p => p.PayloadType));
    }

    [Fact]
    public async Task Stop_ends_the_send_loop()
    {
        _sender.Stop();

        await _loop.WaitAsync(Patience);
    }

    private List<(byte PayloadType, ushort Sequence)> ReceiveRtp(int count, int lost = -1)
    {
        var packets = new List<(byte, ushort)>();
        while (packets.Count < count)
        {
            var datagram = TryReceive(Patience) ?? throw new Xunit.Sdk.XunitException($"only {packets.Count} of {count} packets arrived");
            if (!KeepIfReport(datagram))
            {
                var sequence = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2));
                if (sequence == lost) { packets.Add(((byte)(datagram[1] & 0x7F), sequence)); continue; }
                Assert.True(_viewerSrtp.TryUnprotectRtp(datagram, datagram.Length, out _), "the viewer could not decrypt a packet");
                packets.Add(((byte)(datagram[1] & 0x7F), BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2))));
            }
        }
        return packets;
    }

    private readonly List<(uint Ssrc, uint PacketCount)> _reports = [];

    /// <summary>The reports seen so far and then more, up to <paramref name="count"/>; RTP met on the way is dropped.</summary>
    private List<(uint Ssrc, uint PacketCount)> ReceiveReports(int count)
    {
        while (_reports.Count < count)
        {
            var datagram = TryReceive(Patience) ?? throw new Xunit.Sdk.XunitException($"only {_reports.Count} of {count} sender reports arrived");
            KeepIfReport(datagram);
        }
        var reports = _reports.ToList();
        _reports.Clear();
        return reports;
    }

    // RTCP's packet type is in the clear (RFC 3711 3.4); a sender report (200) leads its compound packet.
    private bool KeepIfReport(byte[] datagram)
    {
        if (datagram[1] is < 200 or > 206) return false;
        Assert.Equal(200, datagram[1]);
        Assert.True(_viewerSrtp.TryUnprotectRtcp(datagram, datagram.Length, out _), "the viewer could not decrypt a report");
        _reports.Add((BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(20))));
        return true;
    }

    private byte[]? TryReceive(TimeSpan wait)
    {
        _viewer.ReceiveTimeout = (int)wait.TotalMilliseconds;
        var buffer = new byte[1600];
        try
        {
            var length = _viewer.Receive(buffer);
            return buffer[..length];
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    private void WriteKeyframe(int packets)
    {
        _room.Video.MarkNextAsKeyframeStart();
        WriteDelta(packets);
        _room.Video.CompleteKeyframe();
    }

    private void WriteDelta(int packets)
    {
        for (var i = 0; i < packets; i++) Write(_room.Video, _videoSequence++, 96, TestRoom.VideoSsrcValue);
    }

    private void WriteAudio(int packets)
    {
        for (var i = 0; i < packets; i++) Write(_room.Audio, _audioSequence++, 111, TestRoom.AudioSsrcValue);
    }

    private static void Write(RtpPacketRing ring, ushort sequence, byte payloadType, uint ssrc)
    {
        var packet = ring.GetPacketBuffer(200);
        packet[..200].Clear();
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
        ring.CommitPacket(200);
    }

    public void Dispose()
    {
        _sender.Stop();
        _loop.Wait(Patience);
        _serverSrtp.Dispose();
        _viewerSrtp.Dispose();
        _mux.Dispose();
        _viewer.Dispose();
    }

    /// <summary>A test stand-in for a room's stream: real rings the test writes itself, and counters for what viewers tell it.</summary>
    private sealed class TestRoom : IRoomPacketSource
    {
        public const uint VideoSsrcValue = 0x1111;
        public const uint AudioSsrcValue = 0x2222;
        private long _keyframeRequests;

        public RtpPacketRing Video { get; } = new(capacity: 1024, slotSize: 1300);
        public RtpPacketRing Audio { get; } = new(capacity: 1024, slotSize: 1300);
        public uint VideoSsrc => VideoSsrcValue;
        public uint AudioSsrc => AudioSsrcValue;
        public string CName => "test-room";
        public bool CanReportTime => true;
        public long Drops;
        public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);

        public (uint Video, uint Audio) RtpTimestampsNow() => (90_000, 48_000);

        public void CountViewerDrops(long packets) => Interlocked.Add(ref Drops, packets);

        public void RequestKeyframe() => Interlocked.Increment(ref _keyframeRequests);
    }
}
