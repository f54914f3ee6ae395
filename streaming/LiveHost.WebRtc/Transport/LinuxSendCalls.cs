using System.Runtime.InteropServices;

namespace LiveHost.WebRtc.Transport;

/// <summary>
/// The Linux calls behind <see cref="BatchedUdpSender"/>: sendmmsg(2), many datagrams in one system call, and UDP
/// generic segmentation offload (UDP_SEGMENT, Linux 4.18+), one buffer the kernel cuts into equal datagrams. The
/// structures are the 64-bit Linux ABI:
/// <code>
/// struct iovec   { void *iov_base; size_t iov_len; }                                   16 bytes
/// struct msghdr  { void *name; socklen_t namelen; (pad) struct iovec *iov; size_t iovlen;
///                  void *control; size_t controllen; int flags; (pad) }                56 bytes
/// struct mmsghdr { struct msghdr hdr; unsigned int len; (pad) }                          64 bytes
/// struct cmsghdr { size_t len; int level; int type; } + data (uint16 gso_size)        24 bytes (CMSG_SPACE(2))
/// </code>
/// </summary>
internal static unsafe partial class LinuxSendCalls
{
    public const int SolUdp = 17;
    public const int UdpSegment = 103;
    public const int MsgDontWait = 0x40;

    public const int Eintr = 4;
    public const int Eio = 5;
    public const int Eagain = 11;
    public const int Enobufs = 105;

    /// <summary>CMSG_SPACE(sizeof(uint16)): the header (16) plus the value rounded up to 8.</summary>
    public const int SegmentControlSpace = 24;

    /// <summary>CMSG_LEN(sizeof(uint16)).</summary>
    public const int SegmentControlLength = 18;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>Writes the UDP_SEGMENT control message asking the kernel to cut the message into <paramref name="segmentSize"/>-byte datagrams.</summary>
    public static void WriteSegmentControl(byte* control, ushort segmentSize)
    {
        *(nuint*)control = SegmentControlLength;
        *(int*)(control + 8) = SolUdp;
        *(int*)(control + 12) = UdpSegment;
        *(ushort*)(control + 16) = segmentSize;
    }

    /// <summary>Whether this kernel knows UDP_SEGMENT on this socket (getsockopt succeeds).</summary>
    public static bool SupportsSegmentation(nint socket)
    {
        int value = 0;
        uint length = sizeof(int);
        return GetSockOpt((int)socket, SolUdp, UdpSegment, &value, &length) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMMsg(int socket, MMsgHdr* messages, uint count, int flags);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int socket, int level, int name, void* value, uint* length);
}
