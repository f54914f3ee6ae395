using System.Net;
using LiveHost.WebRtc.Rooms;
using LiveHost.WebRtc.Srtp;
using LiveHost.WebRtc.Transport;

namespace LiveHost.WebRtc.Sessions;

/// <summary>
/// One viewer's per-packet send path, the only work a room does once per viewer per packet: copy the packet from the
/// room's ring into the next slot of a pooled <see cref="DatagramBatch"/>, rewrite the payload type to the number this
/// browser offered, SRTP-protect it in place; then, once per pass over the viewer's queue (or when the batch is full),
/// send the whole batch on the shared port in one system call (<see cref="UdpMux.SendBatch"/>: sendmmsg, with a
/// frame's equal-size packets cut by the kernel, UDP_SEGMENT) and count what went out. The batch is rented for one
/// pass and returned by <see cref="Flush"/>, so a thousand viewers share a few dozen batches. Driven by
/// <see cref="ViewerMediaSender"/>, in a session and in the fan-out benchmark (perf/) alike. Allocates nothing;
/// belongs to one send loop (not thread-safe).
/// </summary>
/// <param name="maxBatch">Datagrams sent per system call at most (1 sends each packet alone, as before batching: the
/// fan-out benchmark's comparison).</param>
public sealed class ViewerPacketSender(UdpMux mux, ViewerCounters counters, double simulatedLossPercent = 0, int maxBatch = DatagramBatch.MaxDatagrams)
{
    /// <summary>A ring slot (MTU-sized packet plus the SRTP tag) with room to spare.</summary>
    public const int BufferSize = DatagramBatch.SlotSize;

    private const int RtpHeaderSize = 12;

    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly int _maxBatch = Math.Clamp(maxBatch, 1, DatagramBatch.MaxDatagrams);
    private readonly long[] _packets = new long[3];
    private readonly long[] _octets = new long[3];
    private DatagramBatch? _batch;

    /// <summary>A scratch buffer for RTCP reports (sent at once, not batched).</summary>
    public Span<byte> Buffer => _buffer;

    public ViewerCounters Counters => counters;

    /// <summary>Where the next media packet is to be copied (a slot of this pass's batch, rented on first use).</summary>
    public Span<byte> NextSlot => (_batch ??= mux.BatchPool.Rent()).NextSlot;

    /// <summary>Packets of <paramref name="track"/> that went out (or were lost on purpose), for sender reports.</summary>
    public long PacketsSent(MediaTrack track) => _packets[(int)track];

    /// <summary>Payload octets of <paramref name="track"/> that went out, for sender reports.</summary>
    public long OctetsSent(MediaTrack track) => _octets[(int)track];

    /// <summary>Copies packet <paramref name="index"/> of <paramref name="ring"/> into <see cref="NextSlot"/>; false when it was overwritten.</summary>
    public bool TryCopy(RtpPacketRing ring, long index, out int length) => ring.TryCopy(index, NextSlot, out length, out _);

    /// <summary>
    /// Queues the RTP packet in <c>NextSlot[..length]</c> as this viewer's: payload type, SRTP, into the batch. Sends
    /// the batch to <paramref name="remote"/> when it is full.
    /// </summary>
    /// <returns>Packets the kernel refused in a send this call made (the caller counts the drops).</returns>
    public int QueueMedia(int length, byte payloadType, SrtpContext srtp, SocketAddress remote, MediaTrack track)
    {
        var batch = _batch ??= mux.BatchPool.Rent();
        var slot = batch.NextSlot;
        // The room wrote its own payload type; this browser may have offered another number for the same codec.
        slot[1] = (byte)((slot[1] & 0x80) | payloadType);
        var payload = length - RtpHeaderSize;
        var protectedLength = srtp.ProtectRtp(slot, length);
        if (simulatedLossPercent > 0 && Random.Shared.NextDouble() * 100 < simulatedLossPercent)
        {
            // Lost "on the network": protected (so SRTP state moves on as for a real packet), never sent.
            Interlocked.Increment(ref counters.SimulatedLossField);
            _packets[(int)track]++;
            _octets[(int)track] += payload;
            return 0;
        }
        batch.Add(protectedLength, tag: (payload << 2) | (int)track);
        return batch.Count >= _maxBatch ? Send(batch, remote) : 0;
    }

    /// <summary>Sends what is queued to <paramref name="remote"/> and returns the batch to the pool.</summary>
    /// <returns>Packets the kernel refused.</returns>
    public int Flush(SocketAddress remote)
    {
        if (_batch is not { } batch) return 0;
        var refused = Send(batch, remote);
        _batch = null;
        mux.BatchPool.Return(batch);
        return refused;
    }

    /// <summary>Returns the batch to the pool unsent (a pass that failed half-way: its packets are dropped, never half-sent later).</summary>
    public void Release()
    {
        if (_batch is not { } batch) return;
        _batch = null;
        mux.BatchPool.Return(batch);
    }

    private int Send(DatagramBatch batch, SocketAddress remote)
    {
        var count = batch.Count;
        if (count == 0) return 0;
        var sent = mux.SendBatch(batch, remote);
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            if (!batch.WasSent(i)) continue;
            var tag = batch.Tag(i);
            _packets[tag & 3]++;
            _octets[tag & 3] += tag >> 2;
            bytes += batch.Length(i);
        }
        Interlocked.Add(ref counters.PacketsSentField, sent);
        Interlocked.Add(ref counters.BytesSentField, bytes);
        batch.Clear();
        return count - sent;
    }

    /// <summary>SRTCP-protects and sends the RTCP packet in <c>Buffer[..length]</c>.</summary>
    public bool SendRtcp(int length, SrtpContext srtp, SocketAddress remote)
    {
        var protectedLength = srtp.ProtectRtcp(_buffer, length);
        return mux.Send(_buffer.AsSpan(0, protectedLength), remote);
    }
}
