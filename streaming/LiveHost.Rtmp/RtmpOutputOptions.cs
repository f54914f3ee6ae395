using LiveHost.Rtmp.Network;

namespace LiveHost.Rtmp;

/// <summary>
/// Settings shared by the RTMP outputs of every room (configuration section "Rtmp"; appsettings.json lists the defaults).
/// The host binds them and sets <see cref="Addresses"/> from <c>Outputs</c>.
/// </summary>
public sealed record RtmpOutputOptions
{
    public const string SectionName = "Rtmp";

    /// <summary>ContentProducer in the GB 45438 AIGC label.</summary>
    public string ContentProducer { get; init; } = "LiveHost";

    /// <summary>First reconnect delay; it doubles per failure.</summary>
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection that stayed live this long resets the backoff to <see cref="BackoffMin"/>.</summary>
    public TimeSpan BackoffResetAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Frames an output may fall behind the encoder before its oldest are dropped.</summary>
    public int SubscriberCapacity { get; init; } = 256;

    /// <summary>TCP connect, handshake and publish must finish within this.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A send that makes no progress this long (server stopped reading) aborts the connection.</summary>
    public TimeSpan SendStallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Which addresses outputs may connect to; public ones only unless the host's <c>Outputs</c> settings say more.</summary>
    public OutputAddressPolicy Addresses { get; init; } = OutputAddressPolicy.PublicOnly;

    /// <summary>Null when usable, otherwise what is wrong.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(ContentProducer)) return "ContentProducer must not be empty";
        if (BackoffMin <= TimeSpan.Zero) return "BackoffMin must be positive";
        if (BackoffMax < BackoffMin) return "BackoffMax must be at least BackoffMin";
        if (SubscriberCapacity < 16) return "SubscriberCapacity must be at least 16 frames";
        if (ConnectTimeout <= TimeSpan.Zero) return "ConnectTimeout must be positive";
        if (SendStallTimeout <= TimeSpan.Zero) return "SendStallTimeout must be positive";
        return null;
    }
}
