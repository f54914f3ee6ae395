using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LiveHost.Rtmp;

/// <summary>
/// Which server certificates an <c>rtmps://</c> output accepts. <see cref="System"/> (the default): certificates that
/// chain to the machine's trusted roots and name the URL's host. <see cref="FromPem"/>: certificates that chain to the
/// given CA(s) instead (a private server with its own CA); the host name is checked all the same. Nothing is ever
/// accepted unchecked.
/// </summary>
public sealed class RtmpTlsTrust
{
    private readonly X509Certificate2Collection? _roots;

    private RtmpTlsTrust(X509Certificate2Collection? roots) => _roots = roots;

    /// <summary>The machine's trusted roots.</summary>
    public static RtmpTlsTrust System { get; } = new(null);

    /// <summary>True when this trusts given CAs rather than the machine's roots.</summary>
    public bool IsCustom => _roots is not null;

    /// <summary>
    /// Trusts the CA certificate(s) in <paramref name="pemOrPath"/>: PEM text (starting with <c>-----BEGIN CERTIFICATE-----</c>)
    /// or the path of a PEM file.
    /// </summary>
    /// <exception cref="ArgumentException">Neither PEM text nor a readable file holding at least one certificate.</exception>
    public static RtmpTlsTrust FromPem(string pemOrPath)
    {
        if (TryFromPem(pemOrPath, out var trust, out var error)) return trust;
        throw new ArgumentException(error, nameof(pemOrPath));
    }

    public static bool TryFromPem(string? pemOrPath, out RtmpTlsTrust trust, out string error)
    {
        trust = System;
        error = "";
        if (string.IsNullOrWhiteSpace(pemOrPath))
        {
            error = "trustedCa is empty: give PEM text (-----BEGIN CERTIFICATE-----...) or the path of a PEM file";
            return false;
        }
        var text = pemOrPath.Trim();
        if (!text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            try
            {
                text = File.ReadAllText(text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error = $"trustedCa '{pemOrPath.Trim()}' is neither PEM text nor a readable PEM file ({e.Message})";
                return false;
            }
        }
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            error = $"trustedCa holds no readable PEM certificate ({e.Message})";
            return false;
        }
        if (roots.Count == 0)
        {
            error = "trustedCa holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
            return false;
        }
        trust = new RtmpTlsTrust(roots);
        return true;
    }

    /// <summary>The TLS client options for <paramref name="host"/>, with a callback that records why a certificate was refused.</summary>
    internal SslClientAuthenticationOptions ClientOptions(string host, Action<string> refused)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, _, chain, errors) =>
            {
                if (errors == SslPolicyErrors.None) return true;
                refused(Describe(errors, chain));
                return false;
            },
        };
        if (_roots is not null)
        {
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(_roots);
        }
        return options;
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) parts.Add("the server sent no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) parts.Add("the certificate does not name this host");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToArray() ?? [];
            parts.Add($"the certificate chain is not trusted ({(statuses.Length == 0 ? "chain error" : string.Join(", ", statuses))})");
        }
        return string.Join("; ", parts);
    }
}
