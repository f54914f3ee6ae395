using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc.Transport;

/// <summary>
/// Sends a <see cref="DatagramBatch"/> (datagrams for one destination) in as few system calls as Linux allows. Runs of
/// equal-size datagrams (the last of a run may be shorter: a frame's final FU-A fragment) become one message that the
/// kernel cuts with UDP generic segmentation offload (UDP_SEGMENT); all the messages go in one sendmmsg(2). A video
/// frame to one viewer is then one system call instead of one per packet. Elsewhere (or where the kernel lacks
/// UDP_SEGMENT) each datagram is its own message, and off Linux each is a <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>.
/// A kernel that refuses segmentation at send time (EIO: no checksum offload on the route) turns it off for good and
/// the refused run is sent datagram by datagram. A full socket buffer drops the rest of the batch, as UDP would.
/// Thread-safe: all state is in the batch, except the counters and the segmentation switch.
/// </summary>
public sealed unsafe partial class BatchedUdpSender
{
    /// <summary>The kernel's limit on segments in one UDP_SEGMENT message (UDP_MAX_SEGMENTS).</summary>
    private const int MaxSegments = 64;

    /// <summary>A UDP datagram's payload limit over IPv6 headers, with room to spare.</summary>
    private const int MaxSegmentedBytes = 65_000;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly bool _sendMmsg;
    private volatile bool _segmentation;
    private long _systemCalls;
    private long _segmentedMessages;

    public BatchedUdpSender(Socket socket, ILogger logger, bool allowSegmentation = true)
    {
        _socket = socket;
        _logger = logger;
        _sendMmsg = OperatingSystem.IsLinux();
        _segmentation = _sendMmsg && allowSegmentation && LinuxSendCalls.SupportsSegmentation(socket.SafeHandle.DangerousGetHandle());
    }

    /// <summary>True where batches go out with sendmmsg(2).</summary>
    public bool UsesSendMmsg => _sendMmsg;

    /// <summary>True while runs of equal-size datagrams go out as one UDP_SEGMENT message.</summary>
    public bool UsesSegmentation => _segmentation;

    /// <summary>System calls made for batches (sendmmsg or sendto).</summary>
    public long SystemCalls => Interlocked.Read(ref _systemCalls);

    /// <summary>Messages the kernel cut into several datagrams (UDP_SEGMENT).</summary>
    public long SegmentedMessages => Interlocked.Read(ref _segmentedMessages);

    /// <summary>Sends every datagram of <paramref name="batch"/> to <paramref name="to"/>; marks each sent or not.</summary>
    /// <returns>Datagrams the kernel took.</returns>
    public int Send(DatagramBatch batch, SocketAddress to)
    {
        if (batch.Count == 0) return 0;
        return _sendMmsg ? SendMessages(batch, to) : SendEach(batch, 0, batch.Count, to);
    }

    private int SendMessages(DatagramBatch batch, SocketAddress to)
    {
        var count = batch.Count;
        var iovs = batch.IoVecs;
        for (var i = 0; i < count; i++)
        {
            iovs[i].Base = batch.Slot(i);
            iovs[i].Length = (nuint)batch.Length(i);
        }
        var messages = batch.Messages;
        var messageCount = 0;
        var segmentation = _segmentation;
        fixed (byte* name = to.Buffer.Span)
        {
            for (var first = 0; first < count;)
            {
                var end = segmentation ? RunEnd(batch, first) : first + 1;
                ref var header = ref messages[messageCount].Header;
                header.Name = name;
                header.NameLength = (uint)to.Size;
                header.Iov = iovs + first;
                header.IovLength = (nuint)(end - first);
                header.Flags = 0;
                if (end - first > 1)
                {
                    var control = batch.Controls + messageCount * LinuxSendCalls.SegmentControlSpace;
                    LinuxSendCalls.WriteSegmentControl(control, (ushort)batch.Length(first));
                    header.Control = control;
                    header.ControlLength = LinuxSendCalls.SegmentControlSpace;
                }
                else
                {
                    header.Control = null;
                    header.ControlLength = 0;
                }
                messageCount++;
                first = end;
            }
            return SendBatch(batch, messageCount, to);
        }
    }

    /// <summary>One past the last datagram of the run starting at <paramref name="first"/> that one segmented message can carry.</summary>
    private static int RunEnd(DatagramBatch batch, int first)
    {
        var size = batch.Length(first);
        var total = size;
        var end = first + 1;
        while (end < batch.Count && end - first < MaxSegments)
        {
            var next = batch.Length(end);
            if (next > size || total + next > MaxSegmentedBytes) break;
            total += next;
            end++;
            if (next < size) break; // only the last segment may be shorter
        }
        return end;
    }

    private int SendBatch(DatagramBatch batch, int messageCount, SocketAddress to)
    {
        var messages = batch.Messages;
        var handle = _socket.SafeHandle;
        var added = false;
        try
        {
            // Held for the call, so a port closing meanwhile cannot have its descriptor number reused under us.
            handle.DangerousAddRef(ref added);
            return SendAll(batch, messages, messageCount, (int)handle.DangerousGetHandle(), to);
        }
        catch (ObjectDisposedException)
        {
            for (var m = 0; m < messageCount; m++) Mark(batch, messages, m, false);
            return 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private int SendAll(DatagramBatch batch, LinuxSendCalls.MMsgHdr* messages, int messageCount, int fd, SocketAddress to)
    {
        var sent = 0;
        var done = 0;
        while (done < messageCount)
        {
            Interlocked.Increment(ref _systemCalls);
            var n = LinuxSendCalls.SendMMsg(fd, messages + done, (uint)(messageCount - done), LinuxSendCalls.MsgDontWait);
            if (n > 0)
            {
                for (var m = done; m < done + n; m++) sent += Mark(batch, messages, m, true);
                done += n;
                continue;
            }
            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (error == LinuxSendCalls.Eintr) continue;
            var (first, length) = Run(batch, messages, done);
            if (error == LinuxSendCalls.Eio && length > 1)
            {
                // The route cannot take segmented sends (no checksum offload): stop asking, send this run one by one.
                _segmentation = false;
                LogSegmentationRefused();
                sent += SendEach(batch, first, length, to);
                done++;
                continue;
            }
            if (error is LinuxSendCalls.Eagain or LinuxSendCalls.Enobufs)
            {
                // The socket buffer is full: the rest would be refused too. Dropped, as UDP would drop them.
                for (var m = done; m < messageCount; m++) Mark(batch, messages, m, false);
                break;
            }
            Mark(batch, messages, done, false);
            done++;
        }
        return sent;
    }

    private static (int First, int Length) Run(DatagramBatch batch, LinuxSendCalls.MMsgHdr* messages, int message)
    {
        ref var header = ref messages[message].Header;
        return ((int)(header.Iov - batch.IoVecs), (int)header.IovLength);
    }

    private int Mark(DatagramBatch batch, LinuxSendCalls.MMsgHdr* messages, int message, bool sent)
    {
        var (first, length) = Run(batch, messages, message);
        batch.MarkSent(first, length, sent);
        if (sent && length > 1) Interlocked.Increment(ref _segmentedMessages);
        return sent ? length : 0;
    }

    private int SendEach(DatagramBatch batch, int first, int length, SocketAddress to)
    {
        var sent = 0;
        for (var i = first; i < first + length; i++)
        {
            Interlocked.Increment(ref _systemCalls);
            bool ok;
            try
            {
                _socket.SendTo(batch.Datagram(i), SocketFlags.None, to);
                ok = true;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                ok = false;
            }
            batch.MarkSent(i, 1, ok);
            if (ok) sent++;
        }
        return sent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The kernel refused a UDP_SEGMENT send (EIO); sending datagram by datagram from now on")]
    private partial void LogSegmentationRefused();
}
