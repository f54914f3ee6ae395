using LiveHost.Speech;
using LiveHost.Speech.Espeak;
using Xunit.Abstractions;

namespace LiveHost.Speech.Tests;

/// <summary>
/// Text is only text: nothing inside a line may change how espeak-ng speaks it or any later line. espeak-ng obeys
/// commands embedded in plain text (Ctrl-A followed by a value and a letter: 0A silences, 450S speeds up, V changes
/// the voice, B speaks punctuation, H adds echo) and starts phoneme input at Ctrl-B, all of them in process-wide state.
/// </summary>
[Collection(EspeakCollection.Name)]
public sealed class HostileTextTests(EspeakFixture fixture, ITestOutputHelper output)
{
    private const string Plain = "Welcome back, everyone. This kettle boils water in two minutes.";

    private readonly EspeakSynthesizer _speech = fixture.Synthesizer;

    private static readonly string[] Hostile =
    [
        "\u00010A hello",
        "\u0001450S hello everyone",
        "\u000180S hello everyone",
        "\u00010P\u00010R hello everyone",
        "\u0001100H hello everyone",
        "\u000110T hello everyone",
        "\u0001B1 hello, everyone!",
        "\u0001Ven-us+whisper hello everyone",
        "\u0001Vcmn hello everyone",
        "\u0002h@l'oU hello everyone",
        "\u0001200A hello everyone",
        "<speak><prosody rate=\"x-slow\" volume=\"silent\" pitch=\"x-high\">hello everyone</prosody></speak>",
        "<break time=\"10s\"/> hello <audio src=\"file:///etc/passwd\"/>",
        "[[h@l'oU 'Evri:wVn]] hello",
        "&lt;prosody rate=\"x-fast\"&gt; hello &#1;0A everyone",
        "\\x01 0A \\u0001 450S \u001b[31m hello everyone \u0007\u0008\u007f\u0085\u009b",
        "hello\u0000 everyone \u00010A",
    ];

    public static TheoryData<string> HostileLines => new(Hostile);

    [Theory]
    [MemberData(nameof(HostileLines))]
    public async Task A_plain_line_after_a_hostile_one_sounds_exactly_as_it_did_before(string hostile)
    {
        var before = await SpeakAsync(Plain);
        var attack = await SpeakAsync(hostile);
        var after = await SpeakAsync(Plain);
        var (beforeRms, afterRms) = (SpeechCapture.Rms(before.Samples), SpeechCapture.Rms(after.Samples));
        output.WriteLine($"before {before.DurationSeconds:F3} s RMS {beforeRms:F0}; hostile {attack.DurationSeconds:F3} s RMS " +
            $"{SpeechCapture.Rms(attack.Samples):F0}; after {after.DurationSeconds:F3} s RMS {afterRms:F0}");

        Assert.Equal(before.SpokenPhonemes, after.SpokenPhonemes);
        Assert.InRange(after.DurationSeconds, before.DurationSeconds * 0.97, before.DurationSeconds * 1.03);
        Assert.InRange(afterRms, beforeRms * 0.95, beforeRms * 1.05);
        Assert.InRange(MedianPitch(after.Samples), MedianPitch(before.Samples) * 0.9, MedianPitch(before.Samples) * 1.1);
    }

    [Fact]
    public async Task Plain_lines_keep_their_duration_and_loudness_through_a_run_of_every_hostile_line()
    {
        var before = await SpeakAsync(Plain);
        foreach (var hostile in Hostile) await SpeakAsync(hostile);
        using var otherRoom = EspeakFixture.Create(new SpeechOptions());
        var afterHere = await SpeakAsync(Plain);
        var afterInOtherRoom = await SpeechCapture.ReadAsync(otherRoom.Start(new SpeechRequest(Plain, "en", null)));

        foreach (var after in new[] { afterHere, afterInOtherRoom })
        {
            output.WriteLine($"before {before.DurationSeconds:F3} s RMS {SpeechCapture.Rms(before.Samples):F0}; " +
                $"after {after.DurationSeconds:F3} s RMS {SpeechCapture.Rms(after.Samples):F0}");
            Assert.Equal(before.SpokenPhonemes, after.SpokenPhonemes);
            Assert.InRange(after.DurationSeconds, before.DurationSeconds * 0.97, before.DurationSeconds * 1.03);
            Assert.InRange(SpeechCapture.Rms(after.Samples), SpeechCapture.Rms(before.Samples) * 0.95, SpeechCapture.Rms(before.Samples) * 1.05);
        }
    }

    [Theory]
    [InlineData("\u00010A hello everyone", " 0A hello everyone")]
    [InlineData("\u0001450S hello everyone", " 450S hello everyone")]
    [InlineData("\u0001Vcmn hello everyone", " Vcmn hello everyone")]
    [InlineData("\u0002h@l'oU hello everyone", " h@l'oU hello everyone")]
    public async Task A_hostile_line_is_itself_spoken_as_plain_text_at_the_normal_rate_and_volume(string hostile, string plainEquivalent)
    {
        var attack = await SpeakAsync(hostile);
        var reference = await SpeakAsync(plainEquivalent);
        output.WriteLine($"hostile {attack.DurationSeconds:F3} s RMS {SpeechCapture.Rms(attack.Samples):F0} [{string.Join(' ', attack.SpokenPhonemes)}]; " +
            $"plain {reference.DurationSeconds:F3} s RMS {SpeechCapture.Rms(reference.Samples):F0} [{string.Join(' ', reference.SpokenPhonemes)}]");

        Assert.True(SpeechCapture.Rms(attack.Samples) > 1000, "the hostile line went silent");
        Assert.InRange(attack.DurationSeconds, reference.DurationSeconds * 0.9, reference.DurationSeconds * 1.1);
        Assert.InRange(SpeechCapture.Rms(attack.Samples), SpeechCapture.Rms(reference.Samples) * 0.9, SpeechCapture.Rms(reference.Samples) * 1.1);
    }

    [Fact]
    public async Task Ssml_tags_are_read_as_text_not_obeyed()
    {
        var tagged = await SpeakAsync("<prosody volume=\"silent\" rate=\"x-fast\">hello everyone</prosody>");
        var plain = await SpeakAsync("hello everyone");
        output.WriteLine($"tagged {tagged.DurationSeconds:F3} s RMS {SpeechCapture.Rms(tagged.Samples):F0}; plain {plain.DurationSeconds:F3} s");
        Assert.True(SpeechCapture.Rms(tagged.Samples) > 1000, "the volume=silent tag was obeyed");
        Assert.True(tagged.DurationSeconds > plain.DurationSeconds * 1.5, "the tags were not spoken as text");
    }

    [Fact]
    public async Task Phoneme_brackets_are_read_as_text_not_as_phonemes()
    {
        // In phoneme mode "[[b'Vt@]]" says "butter"; read as text it spells out or reads the letters, which differs.
        var bracketed = await SpeakAsync("[[b'Vt@]]");
        var butter = await SpeakAsync("butter");
        output.WriteLine($"[[b'Vt@]]: [{string.Join(' ', bracketed.SpokenPhonemes)}]; butter: [{string.Join(' ', butter.SpokenPhonemes)}]");
        Assert.NotEqual(butter.SpokenPhonemes, bracketed.SpokenPhonemes);
    }

    [Theory]
    [InlineData("a\u0001b", "a b")]
    [InlineData("\u00010A hello", " 0A hello")]
    [InlineData("tab\there\r\nnew line", "tab here  new line")]
    [InlineData("c1\u0085\u009bend", "c1  end")]
    [InlineData("nul\u0000inside", "nul inside")]
    [InlineData("plain 你好 text", "plain 你好 text")]
    public void Control_characters_never_reach_the_engine(string text, string expected) =>
        Assert.Equal(expected, EspeakText.WithoutControls(text));

    private Task<SpeechCapture> SpeakAsync(string text) => SpeechCapture.ReadAsync(_speech.Start(new SpeechRequest(text, "en", null)));

    private static double MedianPitch(short[] samples)
    {
        const int frame = 1920;
        var pitches = new List<double>();
        for (var start = 0; start + frame + 960 <= samples.Length; start += frame)
        {
            var window = samples.AsSpan(start, frame + 960);
            if (SpeechCapture.Rms(window[..frame]) < 1500) continue;
            double best = 0;
            var bestLag = 0;
            for (var lag = 48; lag <= 800; lag++)
            {
                double sum = 0;
                for (var i = 0; i < frame; i++) sum += (double)window[i] * window[i + lag];
                if (sum > best) (best, bestLag) = (sum, lag);
            }
            if (bestLag > 0) pitches.Add(48000.0 / bestLag);
        }
        pitches.Sort();
        return pitches.Count == 0 ? 0 : pitches[pitches.Count / 2];
    }
}
