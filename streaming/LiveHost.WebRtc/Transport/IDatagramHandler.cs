using System.Net;

namespace LiveHost.WebRtc.Transport;

/// <summary>Receives the datagrams the shared UDP port routes to one peer. Called on the receive thread: never block.</summary>
public interface IDatagramHandler
{
    void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from);
}
