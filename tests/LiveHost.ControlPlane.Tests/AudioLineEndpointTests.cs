using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LiveHost.Engine.Rooms;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

/// <summary><c>POST /api/rooms/{room}/audio</c> through real Kestrel into the engine's real room.</summary>
public sealed class AudioLineEndpointTests : IAsyncLifetime
{
    private readonly EngineRoom _room = new();
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await StartAsync(services: s => s.AddSingleton<IRoomRegistry>(_room.Registry));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _room.DisposeAsync();
    }

    private static byte[] Wav(int rate, int channels, int bits, int frames, Func<int, int, short> sample)
    {
        var bytesPerSample = bits / 8;
        var data = new byte[frames * channels * bytesPerSample];
        for (var i = 0; i < frames; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                var at = (i * channels + c) * bytesPerSample;
                var value = sample(i, c);
                if (bits == 16) BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(at), value);
                else data[at + bytesPerSample - 1] = (byte)(value >> 8);
            }
        }
        var wav = new byte[44 + data.Length];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), wav.Length - 8);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), rate * channels * bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), (short)(channels * bytesPerSample));
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), (short)bits);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), data.Length);
        data.CopyTo(wav.AsSpan(44));
        return wav;
    }

    private static short Tone(int i, int channel) => (short)(10000 * Math.Sin(2 * Math.PI * 440 * i / 16000.0));

    private Task<HttpResponseMessage> PostAsync(string key, byte[] body, string? contentType = "audio/wav", string query = "")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return _host.Client(key).PostAsync("/api/rooms/main/audio" + query, content);
    }

    [Fact]
    public async Task A_16kHz_stereo_wav_is_accepted_queued_then_spoken_as_48kHz_audio_with_its_caption()
    {
        var response = await PostAsync(ProducerKey, Wav(16_000, 2, 16, 16_000, Tone), query: "?caption=recorded%20promo");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/api/rooms/main", response.Headers.Location?.OriginalString);
        using var ticket = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = ticket.RootElement.GetProperty("id").GetString();
        Assert.Equal(("main", 0), (ticket.RootElement.GetProperty("room").GetString(), ticket.RootElement.GetProperty("position").GetInt32()));

        using (var queued = JsonDocument.Parse(await _host.Client(ViewerKey).GetStringAsync("/api/rooms/main")))
        {
            var line = Assert.Single(queued.RootElement.GetProperty("queue").EnumerateArray().ToArray());
            Assert.Equal(id, line.GetProperty("id").GetString());
            Assert.Equal("audio", line.GetProperty("kind").GetString());
            Assert.Equal("queued", line.GetProperty("status").GetString());
            Assert.Equal("recorded promo", line.GetProperty("text").GetString());
        }

        _room.Ticks(5);
        using (var speaking = JsonDocument.Parse(await _host.Client(ViewerKey).GetStringAsync("/api/rooms/main")))
        {
            Assert.Equal("speaking", speaking.RootElement.GetProperty("activity").GetString());
            Assert.Equal(id, speaking.RootElement.GetProperty("current").GetProperty("id").GetString());
        }

        _room.Ticks(30);
        // One second at 16 kHz became one second at 48 kHz: 25 ticks of a loud tone, then silence.
        var loud = _room.Encoder.Audio.Count(s => Math.Abs((int)s) > 500);
        Assert.InRange(loud, 48_000 * 0.85, 48_000);
        Assert.Null(_room.Engine.CurrentLine);
        await _room.Journal.FlushAsync();
        Assert.Empty(_room.Store.LoadUnfinished("main"));
    }

    [Fact]
    public async Task L16_with_cue_true_interrupts_the_current_line()
    {
        var first = await PostAsync(ProducerKey, Wav(48_000, 1, 16, 96_000, Tone));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        _room.Ticks(3);

        var l16 = new byte[4800 * 2];
        for (var i = 0; i < 4800; i++) BinaryPrimitives.WriteInt16BigEndian(l16.AsSpan(i * 2), (short)(i + 1));
        var cued = await PostAsync(ProducerKey, l16, "audio/L16;rate=48000;channels=1", "?cue=true");
        Assert.Equal(HttpStatusCode.Accepted, cued.StatusCode);
        using var ticket = JsonDocument.Parse(await cued.Content.ReadAsStringAsync());
        Assert.Equal(0, ticket.RootElement.GetProperty("position").GetInt32());

        var before = _room.Encoder.Audio.Count;
        _room.Ticks(2);
        Assert.Equal(ticket.RootElement.GetProperty("id").GetString(), _room.Engine.CurrentLine?.Id);
        // Big-endian samples 1, 2, 3 ... played as such, right after the cut tick's 10 ms fade.
        Assert.Equal(Enumerable.Range(1, 1920).Select(i => (short)i), _room.Encoder.Audio.Skip(before + 480).Take(1920));
    }

    public static TheoryData<string, byte[], string?, HttpStatusCode, string> BadBodies() => new()
    {
        { "empty", [], "audio/wav", HttpStatusCode.BadRequest, "the body is empty" },
        { "not RIFF", Encoding.ASCII.GetBytes("this is an mp3, honest"), "audio/wav", HttpStatusCode.BadRequest, "not a WAV file" },
        { "8-bit", Wav(16_000, 1, 8, 1600, Tone), "audio/wav", HttpStatusCode.BadRequest, "8-bit samples; only 16-bit is accepted" },
        { "24-bit", Wav(16_000, 1, 24, 1600, Tone), "audio/wav", HttpStatusCode.BadRequest, "24-bit samples; only 16-bit is accepted" },
        { "too long", Wav(8_000, 1, 16, 8_000 * 121, Tone), "audio/wav", HttpStatusCode.RequestEntityTooLarge, "the limit is 120 s" },
        { "over 16 MiB", new byte[16 * 1024 * 1024 + 1], "audio/wav", HttpStatusCode.RequestEntityTooLarge, "the limit is 16777216 bytes" },
        { "L16 without rate", new byte[100], "audio/L16", HttpStatusCode.BadRequest, "audio/L16 needs its sample rate" },
        { "mp3 type", new byte[100], "audio/mpeg", HttpStatusCode.UnsupportedMediaType, "audio/mpeg' is not accepted" },
    };

    [Theory]
    [MemberData(nameof(BadBodies), DisableDiscoveryEnumeration = true)]
    public async Task Bad_audio_is_refused_with_a_message_and_nothing_is_queued(string what, byte[] body, string? contentType, HttpStatusCode status, string message)
    {
        var response = await PostAsync(ProducerKey, body, contentType);

        Assert.True(status == response.StatusCode, $"{what}: {response.StatusCode}");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains(message, detail, StringComparison.Ordinal);
        Assert.Empty(_room.Queue.Snapshot());
        Assert.Empty(_room.Store.LoadUnfinished("main"));
        Assert.False(Directory.Exists(_room.Store.ClipDirectory) && Directory.EnumerateFiles(_room.Store.ClipDirectory).Any());
    }

    [Fact]
    public async Task Seller_and_viewer_keys_get_403_and_nothing_is_queued()
    {
        var wav = Wav(16_000, 1, 16, 1600, Tone);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(SellerKey, wav)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(ViewerKey, wav)).StatusCode);
        Assert.Empty(_room.Queue.Snapshot());
    }

    [Fact]
    public async Task An_unknown_room_is_404_whatever_the_body()
    {
        var response = await _host.Client(AdminKey).PostAsync("/api/rooms/nowhere/audio", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
