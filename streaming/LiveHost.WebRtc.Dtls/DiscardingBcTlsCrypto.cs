using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LiveHost.WebRtc.Dtls;

/// <summary>BouncyCastle's crypto provider with every record cipher wrapped in <see cref="DiscardingTlsCipher"/>.</summary>
internal sealed class DiscardingBcTlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    public override TlsCipher CreateCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm) =>
        new DiscardingTlsCipher(base.CreateCipher(cryptoParams, encryptionAlgorithm, macAlgorithm));
}
