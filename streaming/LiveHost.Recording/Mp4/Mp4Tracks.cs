namespace LiveHost.Recording.Mp4;

/// <summary>The two tracks every LiveHost recording has, their ids and timescales.</summary>
internal static class Mp4Tracks
{
    public const uint VideoTrackId = 1;
    public const uint AudioTrackId = 2;

    /// <summary>Video keeps the room's own 90 kHz media clock, so sample times are the encoder's timestamps.</summary>
    public const uint VideoTimescale = 90_000;

    /// <summary>An AAC frame is 1024 samples.</summary>
    public const int AacFrameSamples = 1024;

    /// <summary>ISO 639-2/T "und", packed as three 5-bit letters (each minus 0x60).</summary>
    public const ushort UndeterminedLanguage = (('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60);

    /// <summary>sample_flags (14496-12 §8.8.3.1): a sync sample that depends on no other.</summary>
    public const uint SyncSampleFlags = 0x0200_0000;

    /// <summary>sample_flags: depends on others (sample_depends_on = 1) and sample_is_non_sync_sample = 1.</summary>
    public const uint NonSyncSampleFlags = 0x0101_0000;
}
