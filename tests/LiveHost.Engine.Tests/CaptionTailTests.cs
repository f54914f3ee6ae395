using LiveHost.Engine.Playback;

namespace LiveHost.Engine.Tests;

/// <summary>The caption a line that ended by itself leaves on screen for the audio lead (<see cref="CaptionTail"/>).</summary>
public sealed class CaptionTailTests
{
    [Fact]
    public void An_ended_lines_caption_is_kept_for_the_lead_in_frames_then_goes()
    {
        var tail = new CaptionTail(2);
        tail.Ended("hello");
        Assert.Equal(new[] { "hello", "hello", null, null }, new[] { tail.Next(), tail.Next(), tail.Next(), tail.Next() });
    }

    [Fact]
    public void Skipped_frames_count_against_the_kept_caption()
    {
        var tail = new CaptionTail(3);
        tail.Ended("hello");
        tail.Skip(2);
        Assert.Equal(new[] { "hello", null }, new[] { tail.Next(), tail.Next() });
        tail.Ended("again");
        tail.Skip(100);
        Assert.Null(tail.Next());
    }

    [Fact]
    public void A_cut_keeps_nothing_and_no_lead_keeps_nothing()
    {
        var tail = new CaptionTail(2);
        tail.Ended("hello");
        tail.Clear();
        Assert.Null(tail.Next());
        var none = new CaptionTail(0);
        none.Ended("hello");
        Assert.Null(none.Next());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaptionTail(-1));
    }
}
