using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace LiveHost.Avatars.TestSupport;

/// <summary>
/// LABELLED SYNTHETIC TEST RECORDING, not a recording of a person: a transcript spoken by espeak-ng (the audio), and
/// <see cref="SyntheticFace"/> drawn per frame, swaying slowly, whose mouth is a dark oval of a known size for each
/// viseme (<see cref="MouthHalfSize"/>: 15 distinct shapes, 3 widths x 5 heights), set from espeak's own phoneme
/// marks at each frame's middle. Encoded by ffmpeg (libx264 + AAC, mp4). The top-left corner reads "SYNTHETIC TEST
/// VIDEO". <see cref="Truth"/> is the viseme each frame shows, so a mouth atlas built from it can be checked shape by
/// shape.
/// </summary>
/// <param name="Truth">The viseme drawn on each frame.</param>
public sealed record VisemeFaceRecording(string Path, double Fps, Viseme[] Truth, int Width, int Height)
{
    /// <summary>Sentences to read in a test recording: every viseme occurs, most many times.</summary>
    public static readonly string[] SampleTranscript =
    [
        "Welcome back to the show, everyone.",
        "Today I have three fresh offers for you.",
        "This thermal bottle keeps your coffee hot for twelve hours.",
        "Check the price: only nineteen dollars, shipped with care.",
        "Choose blue, orange, or a quiet shade of violet.",
        "Judge the quality yourself, then share it with your friends.",
        "Order now, while the stock lasts through Thursday.",
        "Thank you for watching; see you soon.",
    ];

    /// <summary>The colour inside an open mouth (dark); its luminance is far below lips and skin.</summary>
    public static readonly SKColor MouthColor = new(90, 25, 30);

    private static readonly (int Width, int Height)[] Shapes =
    [
        (1, 0), // Silence
        (0, 0), // PP
        (2, 0), // FF
        (0, 1), // TH
        (1, 1), // DD
        (2, 1), // KK
        (0, 2), // CH
        (2, 2), // SS
        (1, 2), // NN
        (0, 3), // RR
        (2, 4), // AA
        (2, 3), // E
        (1, 3), // I
        (1, 4), // O
        (0, 4), // U
    ];

    private static readonly float[] HalfWidths = [0.16f, 0.22f, 0.28f];
    private static readonly float[] HalfHeights = [0.02f, 0.06f, 0.10f, 0.14f, 0.18f];

    /// <summary>The face's radius in pixels for a frame size (<see cref="SyntheticFace"/>'s geometry).</summary>
    public static float FaceRadius(int width, int height) => Math.Min(width, height) * 0.28f;

    /// <summary>Half width and half height of the dark mouth oval for a viseme, in units of the face radius.</summary>
    public static (float HalfWidth, float HalfHeight) MouthHalfSize(Viseme viseme)
    {
        var (w, h) = Shapes[(int)viseme];
        return (HalfWidths[w], HalfHeights[h]);
    }

    /// <summary>
    /// Speaks <paramref name="lines"/> at <paramref name="wordsPerMinute"/> with <paramref name="pauseSeconds"/> of
    /// silence before, between and after them, and writes the recording.
    /// </summary>
    public static async Task<VisemeFaceRecording> WriteAsync(string path, IReadOnlyList<string> lines, int width, int height, int fps,
        int wordsPerMinute, double pauseSeconds)
    {
        var (audio, marks) = await SpeakAsync(lines, wordsPerMinute, pauseSeconds);
        var frames = (int)(audio.Length * (long)fps / EspeakSynthesizer.OutputSampleRate);
        var truth = new Viseme[frames];
        var next = 0;
        var current = Viseme.Silence;
        for (var i = 0; i < frames; i++)
        {
            var middle = (long)((i + 0.5) / fps * EspeakSynthesizer.OutputSampleRate);
            while (next < marks.Count && marks[next].SampleOffset <= middle) current = marks[next++].Viseme;
            truth[i] = current;
        }
        var wav = path + ".wav";
        await WriteWavAsync(wav, audio);
        try
        {
            await EncodeAsync(path, wav, width, height, fps, truth);
        }
        finally
        {
            File.Delete(wav);
        }
        return new VisemeFaceRecording(path, fps, truth, width, height);
    }

    /// <summary>The lines' audio, 48 kHz, with every phoneme mark placed on the whole recording's timeline (pauses are Silence marks).</summary>
    private static async Task<(short[] Audio, List<PhonemeMark> Marks)> SpeakAsync(IReadOnlyList<string> lines, int wordsPerMinute, double pauseSeconds)
    {
        using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions { RateWordsPerMinute = wordsPerMinute }), NullLogger<EspeakSynthesizer>.Instance);
        var audio = new List<short>();
        var marks = new List<PhonemeMark>();
        var pause = (int)(pauseSeconds * EspeakSynthesizer.OutputSampleRate);
        void Silence()
        {
            marks.Add(new PhonemeMark(audio.Count, "_", Viseme.Silence));
            audio.AddRange(new short[pause]);
        }
        Silence();
        foreach (var line in lines)
        {
            using var stream = speech.Start(new SpeechRequest(line, "en", null));
            var start = audio.Count;
            var lineMarks = new List<PhonemeMark>();
            await foreach (var chunk in stream.Chunks.ReadAllAsync())
            {
                audio.AddRange(chunk.Samples);
                lineMarks.AddRange(chunk.Marks);
            }
            marks.AddRange(lineMarks.OrderBy(m => m.SampleOffset).Select(m => m with { SampleOffset = m.SampleOffset + start }));
            Silence();
        }
        return ([.. audio], marks);
    }

    private static async Task WriteWavAsync(string path, short[] samples)
    {
        await using var file = File.Create(path);
        using var writer = new BinaryWriter(file);
        var bytes = samples.Length * 2;
        writer.Write("RIFF"u8);
        writer.Write(36 + bytes);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(EspeakSynthesizer.OutputSampleRate);
        writer.Write(EspeakSynthesizer.OutputSampleRate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(bytes);
        foreach (var sample in samples) writer.Write(sample);
    }

    private static Task EncodeAsync(string path, string wav, int width, int height, int fps, Viseme[] truth) =>
        SyntheticFaceVideo.EncodeAsync(path, width, height, fps, truth.Length,
            ["-i", wav, "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-shortest"],
            (canvas, i) =>
            {
                var t = i / (double)fps;
                var dx = (float)(SyntheticFaceVideo.DriftX * 0.5 * Math.Sin(2 * Math.PI * 0.3 * t));
                var dy = (float)(SyntheticFaceVideo.DriftY * Math.Sin(2 * Math.PI * 0.2 * t));
                DrawFace(canvas, width, height, dx, dy, truth[i]);
            });

    /// <summary>The synthetic face with the mouth of <paramref name="viseme"/>.</summary>
    public static void DrawFace(SKCanvas canvas, int width, int height, float dx, float dy, Viseme viseme)
    {
        SyntheticFace.Draw(canvas, width, height, dx, dy, 0);
        var r = FaceRadius(width, height);
        var cx = width / 2f + dx;
        var mouthY = height * 0.48f + dy + r * 0.52f;
        using var paint = new SKPaint { IsAntialias = true };
        // Cover the drawn lips with skin, then draw this viseme's mouth.
        paint.Color = new SKColor(214, 166, 141);
        canvas.DrawOval(cx, mouthY, r * 0.36f, r * 0.24f, paint);
        var (halfWidth, halfHeight) = MouthHalfSize(viseme);
        paint.Color = new SKColor(185, 90, 90);
        canvas.DrawOval(cx, mouthY, r * halfWidth + 2, r * halfHeight + 2, paint);
        paint.Color = MouthColor;
        canvas.DrawOval(cx, mouthY, r * halfWidth, r * halfHeight, paint);
    }
}
