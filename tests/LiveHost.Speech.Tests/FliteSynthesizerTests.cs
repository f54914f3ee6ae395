using LiveHost.Speech;
using Xunit.Abstractions;

namespace LiveHost.Speech.Tests;

[Collection(FliteCollection.Name)]
public sealed class FliteSynthesizerTests(FliteFixture fixture, ITestOutputHelper output)
{
    private readonly FliteSynthesizer _flite = fixture.Synthesizer;

    private static readonly string[] VoiceIds = ["flite-slt", "flite-awb", "flite-rms", "flite-kal"];

    public static TheoryData<string> Voices => new(VoiceIds);

    [Theory]
    [MemberData(nameof(Voices))]
    public async Task Each_voice_speaks_a_line_loud_and_of_a_sane_length_with_ordered_marks_that_cover_the_speech(string voice)
    {
        var capture = await SpeechCapture.ReadAsync(_flite.Start(new SpeechRequest(Texts.EnglishShort, "en", voice)));
        var rms = SpeechCapture.Rms(capture.Samples);
        output.WriteLine($"{voice}: {capture.DurationSeconds:F2} s, RMS {rms:F0}, {capture.ChunkCount} chunks, {capture.Marks.Count} marks, " +
            $"first chunk {capture.FirstChunkAt.TotalMilliseconds:F0} ms, done {capture.CompletedAt.TotalMilliseconds:F0} ms");

        // Eleven words: two to seven seconds at any sane speaking rate.
        Assert.InRange(capture.DurationSeconds, 2.0, 7.0);
        Assert.True(rms > 1000, $"RMS {rms:F0} is too close to silence");
        Assert.True(capture.Marks.Count > 30, $"{capture.Marks.Count} marks");
        for (var i = 1; i < capture.Marks.Count; i++)
            Assert.True(capture.Marks[i].SampleOffset >= capture.Marks[i - 1].SampleOffset, $"mark {i} goes back in time");
        Assert.All(capture.Marks, m => Assert.InRange(m.SampleOffset, 0, capture.Samples.Length - 1));
        // Every segment Flite names is a CMU phone the map knows (none silently turned into a closed mouth).
        Assert.All(capture.Marks, m => Assert.Contains(m.Phoneme, VisemeMap.CmuPhones));
        Assert.True(capture.Marks.Select(m => m.Viseme).Distinct().Count(v => v != Viseme.Silence) >= 8);

        // The visemes cover the speech: where the audio is loud, the mark sounding there is not a pause.
        var spoken = 0;
        var loud = 0;
        for (var at = 0; at + 960 <= capture.Samples.Length; at += 960)
        {
            // Louder than the line's average: speech, whatever the voice's level (kal is quieter than the others).
            if (SpeechCapture.Rms(capture.Samples.AsSpan(at, 960)) < rms) continue;
            loud++;
            var sounding = capture.Marks.LastOrDefault(m => m.SampleOffset <= at);
            if (sounding.Viseme != Viseme.Silence) spoken++;
        }
        Assert.True(loud > 20, $"{loud} loud windows");
        Assert.True(spoken >= loud * 0.95, $"{spoken} of {loud} loud 20 ms windows have a speaking viseme");
    }

    [Theory]
    [MemberData(nameof(Voices))]
    public async Task Each_voice_streams_its_first_chunk_before_the_line_is_synthesized(string voice)
    {
        using var stream = _flite.Start(new SpeechRequest(Texts.EnglishLong, "en", voice));
        // The first chunk is read; at that moment the stream must still be open (more audio to come).
        Assert.True(await stream.Chunks.WaitToReadAsync());
        Assert.True(stream.Chunks.TryRead(out var first));
        var completedWhenFirstArrived = stream.Chunks.Completion.IsCompleted;
        Assert.True(first.Samples.Length <= 48 * FliteSynthesizer.ChunkMilliseconds * 2);
        Assert.False(completedWhenFirstArrived, "the whole 300-word line was done before its first chunk was read");
        stream.Cancel();
    }

    [Fact]
    public async Task A_line_starts_with_little_silence()
    {
        // Flite's utterances open with a pause of 160 to 250 ms; it is cut to 20 ms before the first phone.
        var capture = await SpeechCapture.ReadAsync(_flite.Start(new SpeechRequest("Welcome back.", "en", "flite-slt")));
        var firstAudible = Array.FindIndex(capture.Samples, s => Math.Abs((int)s) > 500);
        output.WriteLine($"first audible sample at {firstAudible / 48.0:F1} ms, first phone at {capture.Marks[1].SampleOffset / 48.0:F1} ms");
        Assert.InRange(capture.Marks[1].SampleOffset, 48 * 15, 48 * 25);
        Assert.InRange(firstAudible, 0, 48 * 100);
    }

    [Fact]
    public async Task A_cancelled_line_stops_and_the_voice_speaks_the_next_one()
    {
        var long1 = _flite.Start(new SpeechRequest(Texts.EnglishLong, "en", "flite-awb"));
        Assert.True(await long1.Chunks.WaitToReadAsync());
        long1.Dispose();

        var next = await SpeechCapture.ReadAsync(_flite.Start(new SpeechRequest("Still here.", "en", "flite-awb")));
        Assert.InRange(next.DurationSeconds, 0.3, 3.0);
    }

    [Fact]
    public async Task Four_voices_at_once_give_the_same_phonemes_and_length_as_one_after_another()
    {
        // The clustergen voices excite unvoiced sounds with noise, so their samples differ run to run; the segment
        // relation (phones and durations) and so the length do not: a voice corrupted by another would change them.
        const string text = "Good evening everyone, welcome back.";
        var alone = new List<SpeechCapture>();
        foreach (var voice in VoiceIds) alone.Add(await SpeechCapture.ReadAsync(_flite.Start(new SpeechRequest(text, "en", voice))));

        var together = await Task.WhenAll(VoiceIds.Select(voice => SpeechCapture.ReadAsync(_flite.Start(new SpeechRequest(text, "en", voice)))));

        for (var i = 0; i < VoiceIds.Length; i++)
        {
            Assert.Equal(alone[i].Samples.Length, together[i].Samples.Length);
            Assert.Equal(alone[i].Marks, together[i].Marks);
        }
    }

    [Theory]
    [InlineData("Price: $29.90, 50% off! Call 555-0100 now; ends 12/24.")]
    [InlineData("你好 café naïve 😀 — “quoted” ½")]
    [InlineData("...!!! ???")]
    [InlineData("Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis")]
    public async Task Numbers_symbols_and_non_english_text_end_the_line_normally(string text)
    {
        var capture = await SpeechCapture.ReadAsync(_flite.Start(new SpeechRequest(text, "en", "flite-slt")));

        output.WriteLine($"{capture.DurationSeconds:F2} s, {capture.Marks.Count} marks");
        Assert.InRange(capture.DurationSeconds, 0, 30);
        for (var i = 1; i < capture.Marks.Count; i++) Assert.True(capture.Marks[i].SampleOffset >= capture.Marks[i - 1].SampleOffset);
    }

    [Fact]
    public void The_default_flite_voice_is_slt_and_every_voice_is_english()
    {
        Assert.True(_flite.TryResolveVoice("en", null, out var voice));
        Assert.Equal("flite-slt", voice.Id);
        Assert.All(_flite.Voices, v => Assert.Equal("en", v.Language));
        Assert.False(_flite.TryResolveVoice("zh", null, out _));
    }
}
