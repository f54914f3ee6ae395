using LiveHost.Media;

namespace LiveHost.Avatars;

/// <summary>
/// An avatar that knows where its picture changed: most of a presenter's frame (the studio, the body, the desk) is the
/// same from one frame to the next, and the encoder converts to I420 only the rows that changed (issue 14).
/// </summary>
public interface IChangeTrackingAvatar : IAvatar
{
    /// <summary>
    /// The rows in which the frame last rendered may differ from the frame rendered before it, on the same canvas size;
    /// null when the avatar cannot say (its first frame, a new size, a whole-picture change). The set belongs to the
    /// avatar and changes with the next frame: copy it, do not keep it.
    /// </summary>
    ChangedRows? LastChangedRows { get; }
}
