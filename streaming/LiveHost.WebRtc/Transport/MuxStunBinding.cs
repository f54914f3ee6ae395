using System.Net;
using LiveHost.WebRtc.Ice;

namespace LiveHost.WebRtc.Transport;

/// <summary>
/// A STUN Binding request (RFC 8489 §6) sent from the shared UDP port to a STUN server, whose XOR-MAPPED-ADDRESS is
/// that port's server-reflexive address: what a NAT in front of LiveHost maps it to. The server's address is routed
/// to this handler for the transaction only.
/// </summary>
public sealed class MuxStunBinding(UdpMux mux, IPEndPoint server) : IDatagramHandler
{
    private readonly StunTransaction _transaction = new();
    private readonly SocketAddress _server = server.Serialize();

    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from) => _transaction.TryComplete(datagram);

    /// <summary>The mapped address; <see cref="TimeoutException"/> when the server is silent, <see cref="InvalidOperationException"/> when it refuses.</summary>
    public async Task<IPEndPoint> RunAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = new byte[StunMessage.HeaderLength + 8];
        var writer = new StunMessageWriter(request, StunMessageType.BindingRequest, _transaction.TransactionId);
        writer.AddFingerprint();
        mux.RegisterAddress(_server, this);
        try
        {
            var response = await _transaction.RunAsync(r => mux.Send(r.Span, _server), request.AsMemory(0, writer.Length), timeout, time, cancellationToken)
                .ConfigureAwait(false);
            return Mapped(response);
        }
        finally
        {
            mux.Unregister(this, "");
        }
    }

    private static IPEndPoint Mapped(byte[] response)
    {
        if (!StunMessage.TryParse(response, out var message)) throw new InvalidOperationException("the STUN server's response does not parse");
        if (message.MessageType != StunMessageType.BindingSuccessResponse)
        {
            var code = message.TryGetErrorCode(out var c, out _) ? c : 0;
            throw new InvalidOperationException($"the STUN server refused the Binding request ({code})");
        }
        return message.TryGetXorMappedAddress(out var mapped) ? mapped! : throw new InvalidOperationException("the STUN server's response has no XOR-MAPPED-ADDRESS");
    }
}
