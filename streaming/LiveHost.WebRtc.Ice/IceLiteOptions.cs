namespace LiveHost.WebRtc.Ice;

/// <summary>Settings for one <see cref="IceLiteAgent"/>.</summary>
public sealed class IceLiteOptions
{
    /// <summary>
    /// How long without a valid check before consent is lost (RFC 7675 §5.1 says 30 s). Browsers send consent
    /// checks every ~5 s, so this tolerates several lost ones before we stop sending media.
    /// </summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
