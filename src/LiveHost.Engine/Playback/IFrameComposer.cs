using LiveHost.Avatars;
using LiveHost.Media;
using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// What the engine needs from the drawing stage: one finished frame (avatar, caption, AI label) into a BGRA buffer.
/// The label is the composer's duty, not the caller's, so no code path can leave it out.
/// </summary>
public interface IFrameComposer : IDisposable
{
    string Label { get; }

    void Compose(in AvatarFrame frame, string? caption, byte[] bgra);

    /// <summary>
    /// The rows in which the frame last composed may differ from the frame composed before it (the engine hands them
    /// to the encoder with the frame, which then converts only those); null: not known, every row. A new set each
    /// frame: the engine passes it on without copying.
    /// </summary>
    ChangedRows? LastChangedRows => null;
}
