namespace LiveHost.WebRtc.Dtls;

/// <summary>The hash functions a WebRTC <c>a=fingerprint</c> line may name (RFC 8122 §5, RFC 8842 §5).</summary>
public enum DtlsFingerprintAlgorithm
{
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}
