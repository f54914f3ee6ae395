namespace LiveHost.Avatars.Realistic;

/// <summary>Tuning for <see cref="RealisticAvatar"/>.</summary>
public sealed class RealisticAvatarOptions
{
    /// <summary>
    /// How long Render waits for the lip-sync result sent by the previous frame before drawing the frame with the
    /// recorded mouth. The request has had a whole tick (40 ms at 25 fps) before this wait starts, which covers the
    /// runner's batch window plus a GPU batch; a CPU-only Wav2Lip (about 50 ms a frame) will often miss it (counted in
    /// <see cref="RealisticAvatar.LateFrames"/>). Kept short so a slow model cannot hold the tick.
    /// </summary>
    public TimeSpan LipSyncWait { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Width of the soft edge of the pasted mouth patch, as a fraction of the 96-pixel crop.</summary>
    public float FeatherFraction { get; set; } = 0.12f;

    /// <summary>Width of the soft edge of a mouth-atlas sample, as a fraction of each side of the atlas region.</summary>
    public float AtlasFeatherFraction { get; set; } = 0.15f;

    /// <summary>
    /// How long an action may wait for the idle loop to reach its entry frame (the loop shows each frame at least once
    /// per ping-pong period, twice the loop's length); a request that would wait longer is dropped and logged.
    /// </summary>
    public TimeSpan ActionMaxWait { get; set; } = TimeSpan.FromSeconds(10);
}
