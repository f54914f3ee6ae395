namespace LiveHost.Avatars.TestSupport;

/// <summary>What <see cref="SyntheticFaceVideo"/> draws in each frame.</summary>
public enum SyntheticVideoContent
{
    /// <summary>The face, swaying, its mouth opening and closing.</summary>
    TalkingFace,

    /// <summary>The face, swaying, its lips closed throughout.</summary>
    StillLipsFace,

    /// <summary>No face: a plain background (and the label).</summary>
    NoFace,
}
