using System.Security.Cryptography;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// One STUN client transaction over UDP (RFC 8489 §6.2.1): the request is sent, then sent again after an RTO that
/// starts at <see cref="InitialRto"/> and doubles, until a response with its transaction ID arrives (the receiver
/// calls <see cref="TryComplete"/>) or the timeout passes. The caller's receive path owns the socket; this only waits.
/// </summary>
public sealed class StunTransaction
{
    /// <summary>RFC 8489's recommended first retransmission timeout.</summary>
    public static readonly TimeSpan InitialRto = TimeSpan.FromMilliseconds(500);

    private readonly TaskCompletionSource<byte[]> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StunTransaction() => RandomNumberGenerator.Fill(TransactionId);

    /// <summary>A fresh random 96-bit transaction ID.</summary>
    public byte[] TransactionId { get; } = new byte[12];

    /// <summary>
    /// Completes the transaction when <paramref name="datagram"/> is a success or error response carrying its ID
    /// (a copy is kept; responses are rare). False for anything else.
    /// </summary>
    public bool TryComplete(ReadOnlySpan<byte> datagram)
    {
        if (!StunMessage.TryParse(datagram, out var message) || (message.MessageType & 0x0100) == 0
            || !message.TransactionId.SequenceEqual(TransactionId)) return false;
        return _response.TrySetResult(datagram.ToArray());
    }

    /// <summary>Sends <paramref name="request"/> with retransmissions; the response's bytes, or <see cref="TimeoutException"/>.</summary>
    public async Task<byte[]> RunAsync(Action<ReadOnlyMemory<byte>> send, ReadOnlyMemory<byte> request, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var deadline = time.GetTimestamp();
        var rto = InitialRto;
        while (true)
        {
            send(request);
            var left = timeout - time.GetElapsedTime(deadline);
            if (left <= TimeSpan.Zero) break;
            var wait = rto < left ? rto : left;
            try
            {
                return await _response.Task.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                rto += rto;
            }
            if (time.GetElapsedTime(deadline) >= timeout) break;
        }
        throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s");
    }
}
