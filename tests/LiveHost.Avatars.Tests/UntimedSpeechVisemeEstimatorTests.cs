using LiveHost.Avatars;
using LiveHost.Speech;
using Xunit;

namespace LiveHost.Avatars.Tests;

public sealed class UntimedSpeechVisemeEstimatorTests
{
    [Fact]
    public void A_speaking_frame_without_a_phoneme_viseme_is_shaped_by_the_audio_estimate()
    {
        using var estimator = new UntimedSpeechVisemeEstimator(new Fixed(Viseme.O));

        Assert.True(estimator.TryEstimate(new AvatarFrame(1, 0.04, Viseme.Silence, 0.5f, Speaking: true), out var viseme));
        Assert.Equal(Viseme.O, viseme);
    }

    [Theory]
    [InlineData(Viseme.AA, true)]      // a timed voice's phoneme: kept
    [InlineData(Viseme.Silence, false)] // no line speaking: the closed mouth stays closed
    public void Other_frames_keep_their_phoneme_viseme_and_the_model_is_not_asked(Viseme phoneme, bool speaking)
    {
        var audio = new Fixed(Viseme.O);
        using var estimator = new UntimedSpeechVisemeEstimator(audio);

        Assert.False(estimator.TryEstimate(new AvatarFrame(1, 0.04, phoneme, 0.5f, speaking), out _));
        Assert.Equal(0, audio.Calls);
    }

    [Fact]
    public void The_cartoon_draws_the_audio_viseme_for_an_untimed_line_and_the_phoneme_one_otherwise()
    {
        using var avatar = new AudioDrivenMouthAvatar(new CartoonPresenter(), new UntimedSpeechVisemeEstimator(new Fixed(Viseme.U)));
        using var bitmap = new SkiaSharp.SKBitmap(320, 240);
        using var canvas = new SkiaSharp.SKCanvas(bitmap);

        avatar.Render(new AvatarFrame(0, 0, Viseme.Silence, 0.5f, Speaking: true), canvas, 320, 240);
        Assert.Equal((Viseme.U, true), (avatar.LastViseme, avatar.LastFromAudio));
        avatar.Render(new AvatarFrame(1, 0.04, Viseme.E, 0.5f, Speaking: true), canvas, 320, 240);
        Assert.Equal((Viseme.E, false), (avatar.LastViseme, avatar.LastFromAudio));
    }

    private sealed class Fixed(Viseme viseme) : IFrameVisemeEstimator
    {
        public int Calls { get; private set; }

        public bool TryEstimate(in AvatarFrame frame, out Viseme estimate)
        {
            Calls++;
            estimate = viseme;
            return true;
        }

        public void Dispose()
        {
        }
    }
}
