namespace LiveHost.WebRtc.Rtp.Timing;

/// <summary>
/// A 64-bit NTP timestamp (RFC 5905 §6; RFC 3550 §4): seconds since 1900-01-01 00:00 UTC in the high 32 bits,
/// the fraction of a second in the low 32. Era 0 only, which lasts until 2036; RFC 3550 wraps with it and so do we.
/// </summary>
public readonly record struct NtpTimestamp(ulong Value)
{
    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public uint Seconds => (uint)(Value >> 32);
    public uint Fraction => (uint)Value;

    /// <summary>The middle 32 bits, as RR's LSR field and DLSR arithmetic use them (RFC 3550 §6.4.1).</summary>
    public uint Middle32 => (uint)(Value >> 16);

    public static NtpTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = (time - Epoch).Ticks;
        if (ticks < 0) throw new ArgumentOutOfRangeException(nameof(time), time, "before the NTP epoch");
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var remainder = (ulong)(ticks % TimeSpan.TicksPerSecond);
        var fraction = (remainder << 32) / TimeSpan.TicksPerSecond;
        return new NtpTimestamp((seconds << 32) | fraction);
    }

    public DateTimeOffset ToDateTimeOffset()
    {
        var ticks = (long)Seconds * TimeSpan.TicksPerSecond + (long)(((ulong)Fraction * TimeSpan.TicksPerSecond + (1UL << 31)) >> 32);
        return Epoch.AddTicks(ticks);
    }
}
