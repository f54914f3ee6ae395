using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveHost.Speech.Tests;

/// <summary>
/// The local voices (espeak-ng and Flite) for the speech-server tests, and the PCM a server sends: a line spoken by
/// Flite's slt, at the server's 24 kHz.
/// </summary>
public sealed class VoicesFixture : IDisposable
{
    public const int ServerRate = 24000;
    public const string Line = "Welcome back everyone. Tonight we have three new kitchen knives to show you.";

    public VoicesFixture()
    {
        var capture = SpeechCapture.ReadAsync(Flite.Start(new SpeechRequest(Line, "en", "flite-slt"))).GetAwaiter().GetResult();
        var resampler = new Resampler(48000, ServerRate);
        var pcm = new short[resampler.MaxOutputLength(capture.Samples.Length) + resampler.MaxOutputLength(0)];
        var n = resampler.Process(capture.Samples, pcm);
        n += resampler.Flush(pcm.AsSpan(n));
        ServerPcm = new byte[n * 2];
        for (var i = 0; i < n; i++)
        {
            ServerPcm[2 * i] = (byte)pcm[i];
            ServerPcm[2 * i + 1] = (byte)(pcm[i] >> 8);
        }
    }

    public EspeakSynthesizer Espeak { get; } = new(Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);

    public FliteSynthesizer Flite { get; } = new(NullLogger<FliteSynthesizer>.Instance);

    /// <summary>The line as the server sends it: 16-bit little-endian mono at <see cref="ServerRate"/>.</summary>
    public byte[] ServerPcm { get; }

    public double ServerSeconds => ServerPcm.Length / 2.0 / ServerRate;

    public SpeechVoices Voices(ScriptedSpeechServer server, Action<SpeechVoiceOptions>? configure = null, TimeProvider? time = null)
    {
        var voice = new SpeechVoiceOptions
        {
            Provider = "openai",
            BaseUrl = server.BaseUrl,
            Model = "kokoro",
            Voice = "af_heart",
            ApiKey = "test-key",
            SampleRate = ServerRate,
            FirstByteTimeout = TimeSpan.FromSeconds(5),
            Timeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(voice);
        var options = new SpeechOptions();
        options.Voices["nova"] = voice;
        return new SpeechVoices(options, Espeak, Flite, time ?? TimeProvider.System, NullLoggerFactory.Instance);
    }

    public void Dispose()
    {
        Espeak.Dispose();
        Flite.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class VoicesCollection : ICollectionFixture<VoicesFixture>
{
    public const string Name = "voices";
}
