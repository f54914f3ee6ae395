using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// Wraps a record cipher so that every failure to decrypt or authenticate a record surfaces as bad_record_mac.
/// RFC 6347 §4.1.2.7 says invalid DTLS records should be silently discarded, and BouncyCastle discards
/// bad_record_mac when <see cref="TlsPeer.IgnoreCorruptDtlsRecords"/> is set, but it fails the whole association
/// on other decode errors (a protected record shorter than the AEAD nonce and tag gives decode_error). A single
/// forged datagram must not end a viewer's session.
/// </summary>
internal sealed class DiscardingTlsCipher(TlsCipher inner) : TlsCipher
{
    public int GetCiphertextDecodeLimit(int plaintextLimit) => inner.GetCiphertextDecodeLimit(plaintextLimit);

    public int GetCiphertextEncodeLimit(int plaintextLength, int plaintextLimit) =>
        inner.GetCiphertextEncodeLimit(plaintextLength, plaintextLimit);

    public int GetPlaintextLimit(int ciphertextLimit) => inner.GetPlaintextLimit(ciphertextLimit);

    public TlsEncodeResult EncodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion, int headerAllocation, byte[] plaintext, int offset, int len) =>
        inner.EncodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);

    public TlsEncodeResult EncodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion, int headerAllocation, ReadOnlySpan<byte> plaintext) =>
        inner.EncodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext);

    public TlsDecodeResult DecodeCiphertext(long seqNo, short recordType, ProtocolVersion recordVersion, byte[] ciphertext, int offset, int len)
    {
        try
        {
            return inner.DecodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
        }
        catch (TlsFatalAlert alert) when (alert.AlertDescription == AlertDescription.bad_record_mac)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, ex);
        }
    }

    public void RekeyDecoder() => inner.RekeyDecoder();

    public void RekeyEncoder() => inner.RekeyEncoder();

    public bool UsesOpaqueRecordType => inner.UsesOpaqueRecordType;
}
