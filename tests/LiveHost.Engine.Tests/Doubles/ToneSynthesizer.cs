using LiveHost.Speech;

namespace LiveHost.Engine.Tests.Doubles;

/// <summary>
/// Test double for the synthesizer: each line is a loud 440 Hz tone of a known length with a phoneme mark every
/// 100 ms (AA, PP alternating), so cuts, fades and viseme timing can be checked sample by sample.
/// The real espeak-ng path is exercised by LiveHost.Speech.Tests and the host's end-to-end tests.
/// </summary>
public sealed class ToneSynthesizer(int lineMilliseconds = 1000) : ISpeechSynthesizer
{
    public const short Amplitude = 20000;

    public List<SpeechStream> Started { get; } = [];

    public IReadOnlyList<VoiceInfo> Voices { get; } =
    [
        new("tone-en", "en", "tone", true),
        new("tone-zh", "zh", "tone", true),
    ];

    public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice)
    {
        voice = Voices.FirstOrDefault(v => v.Language == language && (voiceId is null || v.Id == voiceId))!;
        return voice is not null;
    }

    public SpeechStream Start(SpeechRequest request)
    {
        TryResolveVoice(request.Language, request.Voice, out var voice);
        var stream = new SpeechStream(request, voice);
        var total = 48 * lineMilliseconds;
        const int chunk = 960;
        for (var offset = 0; offset < total; offset += chunk)
        {
            var n = Math.Min(chunk, total - offset);
            var samples = new short[n];
            for (var i = 0; i < n; i++) samples[i] = (short)(Amplitude * Math.Sin(2 * Math.PI * 440 * (offset + i) / 48000.0));
            var marks = new List<PhonemeMark>();
            for (var m = (offset + 4799) / 4800 * 4800; m < offset + n; m += 4800)
            {
                marks.Add(new PhonemeMark(m, m / 4800 % 2 == 0 ? "a" : "p", m / 4800 % 2 == 0 ? Viseme.AA : Viseme.PP));
            }
            stream.Writer.TryWrite(new SpeechChunk(samples, marks));
        }
        stream.Writer.TryComplete();
        Started.Add(stream);
        return stream;
    }
}
