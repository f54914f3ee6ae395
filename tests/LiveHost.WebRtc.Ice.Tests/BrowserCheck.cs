using System.Security.Cryptography;
using System.Text;

namespace LiveHost.WebRtc.Ice.Tests;

/// <summary>Builds the Binding requests a controlling browser sends, with the real writer.</summary>
internal static class BrowserCheck
{
    public static byte[] Build(
        string serverUfrag,
        string browserUfrag,
        string signingPassword,
        bool useCandidate = true,
        bool controlled = false,
        bool withIntegrity = true,
        bool withFingerprint = true,
        string? usernameOverride = null)
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, RandomNumberGenerator.GetBytes(12));
        writer.AddUsername(Encoding.UTF8.GetBytes(usernameOverride ?? $"{serverUfrag}:{browserUfrag}"));
        writer.AddPriority(0x6E7F1EFF);
        if (controlled)
        {
            writer.AddIceControlled(0x1122334455667788);
        }
        else
        {
            writer.AddIceControlling(0x1122334455667788);
        }

        if (useCandidate)
        {
            writer.AddUseCandidate();
        }

        if (withIntegrity)
        {
            writer.AddMessageIntegrity(Encoding.UTF8.GetBytes(signingPassword));
        }

        if (withFingerprint)
        {
            writer.AddFingerprint();
        }

        return writer.WrittenSpan.ToArray();
    }
}
