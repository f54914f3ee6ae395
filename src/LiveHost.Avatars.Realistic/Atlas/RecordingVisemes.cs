using System.Diagnostics;
using System.Runtime.InteropServices;
using LiveHost.Inference.Audio;
using LiveHost.Inference.Models;

namespace LiveHost.Avatars.Realistic.Atlas;

/// <summary>
/// What the audio viseme model hears on each frame of the recording: ffmpeg decodes the recording's audio to 48 kHz
/// mono, and the model runs on the mel window centred on each frame's middle (the same front end rooms use for
/// <c>MouthSource: audio</c>). Offline tool code.
/// </summary>
public sealed class RecordingVisemes(VisemeModel model, string ffmpeg = "ffmpeg")
{
    public const int SampleRate = 48_000;

    /// <summary>The recording's audio, 48 kHz mono floats.</summary>
    public async Task<float[]> ReadAudioAsync(string video, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-i", video, "-vn", "-ac", "1", "-ar", "48000", "-f", "f32le", "-" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bytes = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(bytes, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not read the audio of {video}: {(await errors).Trim()}");
        if (bytes.Length == 0) throw new InvalidOperationException($"{video} has no audio; the mouth atlas needs the recording's sound.");
        return MemoryMarshal.Cast<byte, float>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)).ToArray();
    }

    /// <summary>The model's probabilities, <see cref="VisemeAligner.Classes"/> per frame, for <paramref name="frames"/> frames.</summary>
    public async Task<float[]> ProbabilitiesAsync(float[] audio, double fps, int frames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var room = model.CreateRoom();
        var mel = new MelWindowExtractor();
        var result = new float[frames * VisemeAligner.Classes];
        for (var i = 0; i < frames; i++)
        {
            var middle = (int)Math.Round((i + 0.5) / fps * SampleRate);
            mel.ComputeForFrame(audio, middle, MelWindowAlignment.CenteredOnFrame, room.Mel);
            await room.RunAsync(cancellationToken);
            room.ReadPrediction();
            room.Probabilities.CopyTo(result.AsSpan(i * VisemeAligner.Classes, VisemeAligner.Classes));
        }
        return result;
    }
}
