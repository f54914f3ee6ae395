using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace LiveHost.Srt.Native;

/// <summary>
/// The part of libsrt's C API (srt.h, 1.5; Debian 12's libsrt1.5-gnutls) an SRT caller needs. Every call is blocking
/// and made from the output's own sending thread, never from the engine.
/// </summary>
internal static unsafe partial class LibSrt
{
    public const string Library = "libsrt-gnutls.so.1.5";
    public const int Invalid = -1;

    // SRT_SOCKOPT values from srt.h.
    public const int OptSendTimeout = 13;
    public const int OptLatency = 23;
    public const int OptPassphrase = 26;
    public const int OptConnectTimeout = 36;
    public const int OptStreamId = 46;
    public const int OptTransType = 50;
    public const int OptEnforcedEncryption = 53;
    public const int OptPeerIdleTimeout = 55;
    public const int TransTypeLive = 0;

    [LibraryImport(Library, EntryPoint = "srt_startup")]
    public static partial int Startup();

    [LibraryImport(Library, EntryPoint = "srt_create_socket")]
    public static partial int CreateSocket();

    [LibraryImport(Library, EntryPoint = "srt_setsockflag")]
    public static partial int SetSockFlag(int socket, int option, void* value, int length);

    [LibraryImport(Library, EntryPoint = "srt_connect")]
    public static partial int Connect(int socket, byte* address, int length);

    [LibraryImport(Library, EntryPoint = "srt_send")]
    public static partial int Send(int socket, byte* buffer, int length);

    [LibraryImport(Library, EntryPoint = "srt_close")]
    public static partial int Close(int socket);

    [LibraryImport(Library, EntryPoint = "srt_getlasterror_str")]
    public static partial IntPtr GetLastErrorString();

    private static readonly Lazy<int> Started = new(Startup);

    /// <summary>srt_startup once per process (it is reference-counted by libsrt; never cleaned up while outputs may run).</summary>
    public static void EnsureStarted()
    {
        if (Started.Value < 0) throw new SrtException($"srt_startup failed: {LastError()}");
    }

    public static string LastError() => Marshal.PtrToStringUTF8(GetLastErrorString()) ?? "unknown SRT error";

    public static void SetInt(int socket, int option, int value, string name)
    {
        if (SetSockFlag(socket, option, &value, sizeof(int)) < 0) throw new SrtException($"SRT option {name}: {LastError()}");
    }

    public static void SetString(int socket, int option, string value, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* p = bytes)
        {
            if (SetSockFlag(socket, option, p, bytes.Length) < 0) throw new SrtException($"SRT option {name}: {LastError()}");
        }
    }

    /// <summary>A sockaddr_in / sockaddr_in6 for <paramref name="endpoint"/> (Linux layout).</summary>
    public static byte[] SocketAddress(IPEndPoint endpoint) => endpoint.Serialize().Buffer.ToArray();

    public static int Connect(int socket, IPEndPoint endpoint)
    {
        var address = SocketAddress(endpoint);
        fixed (byte* p = address) return Connect(socket, p, address.Length);
    }

    public static AddressFamily Family(IPEndPoint endpoint) => endpoint.AddressFamily;
}

/// <summary>libsrt refused a call; the message is libsrt's own.</summary>
public sealed class SrtException : Exception
{
    public SrtException(string message) : base(message) { }
    public SrtException(string message, Exception inner) : base(message, inner) { }
    public SrtException() { }
}
