using LiveHost.Avatars;
using LiveHost.Engine.Playback;
using LiveHost.Speech;

namespace LiveHost.Engine.Tests.Doubles;

/// <summary>Test double for the drawing stage: records what each frame was asked to show. The real one is LiveHost.Avatars'.</summary>
public sealed class RecordingComposer : IFrameComposer
{
    public List<(Viseme Viseme, string? Caption, bool Speaking)> Frames { get; } = [];

    public string Label => "AI-generated";

    /// <summary>Copies of each frame's audio context window (<see cref="AvatarFrame.Audio"/>).</summary>
    public List<float[]> AudioWindows { get; } = [];

    public void Compose(in AvatarFrame frame, string? caption, byte[] bgra)
    {
        Frames.Add((frame.Viseme, caption, frame.Speaking));
        AudioWindows.Add(frame.Audio.ToArray());
    }

    public void Dispose() { }
}
