namespace LiveHost.Avatars.Realistic;

/// <summary>Tuning for <see cref="RealisticAvatar"/>.</summary>
public sealed class RealisticAvatarOptions
{
    /// <summary>
    /// How long Render waits for this frame's lip-sync result before drawing the frame with the recorded mouth.
    /// Covers the runner's batch window plus a GPU batch; a CPU-only Wav2Lip will often miss it (counted in
    /// <see cref="RealisticAvatar.LateFrames"/>).
    /// </summary>
    public TimeSpan LipSyncWait { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>Width of the soft edge of the pasted mouth patch, as a fraction of the 96-pixel crop.</summary>
    public float FeatherFraction { get; set; } = 0.12f;
}
