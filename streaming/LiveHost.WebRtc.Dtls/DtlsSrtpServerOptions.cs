namespace LiveHost.WebRtc.Dtls;

/// <summary>Settings for one <see cref="DtlsSrtpServer"/>.</summary>
public sealed class DtlsSrtpServerOptions
{
    /// <summary>The whole handshake must finish within this time. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest datagram we send; handshake messages are fragmented to fit. Default 1200
    /// (safe under a 1280-byte IPv6 path with UDP/IP headers and TURN overhead).</summary>
    public int Mtu { get; set; } = 1200;

    /// <summary>Incoming datagrams larger than this are dropped. Default 1500.</summary>
    public int ReceiveLimit { get; set; } = 1500;

    /// <summary>Datagrams waiting for BouncyCastle to read them; when full the oldest is dropped. Default 64.</summary>
    public int ReceiveQueueCapacity { get; set; } = 64;

    /// <summary>SRTP profiles we accept. The client's order decides (RFC 5764 §4.1.1). Default GCM and AES-CM.</summary>
    public IReadOnlyList<DtlsSrtpProfile> SrtpProfiles { get; set; } =
        [DtlsSrtpProfile.AeadAes128Gcm, DtlsSrtpProfile.Aes128CmHmacSha1_80];

    /// <summary>Refuse clients that do not offer the RFC 7627 extended master secret. Default false: it is used
    /// whenever offered (every current browser offers it).</summary>
    public bool RequireExtendedMasterSecret { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException($"HandshakeTimeout must be between 0 and 5 minutes (got {HandshakeTimeout}).");
        }

        if (Mtu is < 256 or > 65507)
        {
            throw new ArgumentException($"Mtu must be between 256 and 65507 bytes (got {Mtu}).");
        }

        if (ReceiveLimit < Mtu || ReceiveLimit > 65507)
        {
            throw new ArgumentException($"ReceiveLimit must be between Mtu ({Mtu}) and 65507 bytes (got {ReceiveLimit}).");
        }

        if (ReceiveQueueCapacity is < 1 or > 4096)
        {
            throw new ArgumentException($"ReceiveQueueCapacity must be between 1 and 4096 (got {ReceiveQueueCapacity}).");
        }

        if (SrtpProfiles is null || SrtpProfiles.Count == 0)
        {
            throw new ArgumentException("SrtpProfiles must name at least one profile.");
        }

        foreach (DtlsSrtpProfile profile in SrtpProfiles)
        {
            if (!DtlsSrtpProfileExtensions.IsSupported((int)profile))
            {
                throw new ArgumentException($"SRTP profile 0x{(int)profile:X4} is not supported.");
            }
        }
    }
}
