using System.Security.Cryptography;
using System.Text;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// The long-term credential key (RFC 8489 §9.2.2): MD5(username ":" realm ":" password), the HMAC key of every signed
/// TURN request. The password is used as given (no SASLprep/OpaqueString): TURN servers compare the same bytes, and an
/// ASCII password (what operators configure) prepares to itself.
/// </summary>
public static class StunLongTermKey
{
    /// <summary>The 16-byte key.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "RFC 8489 §9.2.2 defines the long-term key as MD5; TURN servers expect nothing else.")]
    public static byte[] Compute(string username, string realm, string password) =>
        MD5.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}:{password}"));
}
