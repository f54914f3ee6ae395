using System.Globalization;
using LiveHost.Engine.Audio;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace LiveHost.ControlPlane;

/// <summary>
/// <c>POST /api/rooms/{room}/audio</c> (producer+): recorded audio played as a line. The body is <c>audio/wav</c>
/// (16-bit PCM) or <c>audio/L16;rate=R;channels=C</c>; <c>?caption=</c> is shown while it plays and <c>?cue=true</c>
/// interrupts the current line like CueNow. The endpoint only reads, checks and decodes the upload to 48 kHz mono;
/// the room stores the clip and queues the line. 202 with a <see cref="LineTicket"/>, like <c>/lines</c>.
/// </summary>
public static class AudioLineEndpoints
{
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly string[] WavTypes = ["audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave", "application/octet-stream"];

    public static void MapAudioLineEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/rooms/{room}/audio", (string room, HttpRequest request, RoomResolver rooms) => SubmitAsync(room, request, rooms))
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("EnqueueAudio"));

    private static async Task<IResult> SubmitAsync(string room, HttpRequest request, RoomResolver rooms)
    {
        // The room comes first: an unknown room is a 404 whatever the body holds.
        var controller = rooms.Resolve(room);

        var cue = false;
        if (request.Query["cue"] is { Count: > 0 } cueValues && !bool.TryParse(cueValues[^1], out cue))
        {
            return BadRequest($"cue is '{cueValues[^1]}'; use cue=true to interrupt the current line, or leave it out to queue");
        }
        var caption = request.Query["caption"] is { Count: > 0 } captions ? captions[^1] : null;
        var tag = request.Query["tag"] is { Count: > 0 } tags ? tags[^1] : null;

        if (!TryReadFormat(request.ContentType, out var l16, out var rate, out var channels, out var typeProblem))
        {
            // Another media type is 415; an L16 type without a usable rate or channel count is a bad request.
            return l16
                ? BadRequest(typeProblem!)
                : Results.Problem(detail: typeProblem, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge($"the body is {request.ContentLength} bytes; the limit is {MaxBodyBytes} bytes (16 MiB)");
        }
        var body = await ReadBodyAsync(request);
        if (body is null)
        {
            return TooLarge($"the body is larger than {MaxBodyBytes} bytes (16 MiB)");
        }

        var readable = l16
            ? UploadedAudio.TryReadL16(body, rate, channels, out var layout, out var problem)
            : UploadedAudio.TryReadWav(body, out layout, out problem);
        if (!readable)
        {
            return BadRequest(problem!);
        }
        if (layout.Seconds > AudioLineLimits.MaxSeconds)
        {
            return TooLarge(string.Create(CultureInfo.InvariantCulture,
                $"the audio lasts {layout.Seconds:0.###} s; the limit is {AudioLineLimits.MaxSeconds} s: split it into several lines"));
        }

        var samples = UploadedAudio.ToMono48k(body, layout);
        var line = new AudioLineRequest(controller.Name, samples, caption, tag);
        var ticket = cue
            ? await controller.CueAudioNowAsync(line, request.HttpContext.RequestAborted)
            : await controller.EnqueueAudioAsync(line, request.HttpContext.RequestAborted);
        request.HttpContext.RequestServices.GetRequiredService<LiveHostMetrics>().LineAccepted(ticket.Room, cue);
        return Results.Accepted($"/api/rooms/{Uri.EscapeDataString(controller.Name)}", ticket);
    }

    /// <summary>WAV (also when no type is given: tools forget it) or L16 with its rate and channels.</summary>
    private static bool TryReadFormat(string? contentType, out bool l16, out int rate, out int channels, out string? problem)
    {
        l16 = false;
        rate = 0;
        channels = 1;
        problem = null;
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type))
        {
            problem = $"Content-Type '{contentType}' cannot be read: {UploadedAudio.Accepted}";
            return false;
        }
        var mediaType = type.MediaType.Value ?? string.Empty;
        if (WavTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)) return true;
        if (!mediaType.Equals("audio/L16", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"Content-Type '{mediaType}' is not accepted: {UploadedAudio.Accepted}";
            return false;
        }

        l16 = true;
        var rateText = Parameter(type, "rate");
        if (rateText is null || !int.TryParse(rateText, NumberStyles.None, CultureInfo.InvariantCulture, out rate))
        {
            problem = $"audio/L16 needs its sample rate, e.g. audio/L16;rate=48000;channels=1 (rate was '{rateText}')";
            return false;
        }
        var channelsText = Parameter(type, "channels");
        if (channelsText is not null && !int.TryParse(channelsText, NumberStyles.None, CultureInfo.InvariantCulture, out channels))
        {
            problem = $"audio/L16 channels is '{channelsText}'; use channels=1 or channels=2";
            return false;
        }
        return true;
    }

    private static string? Parameter(MediaTypeHeaderValue type, string name) =>
        type.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');

    /// <summary>The whole body, or null when it passes the limit (a missing or false Content-Length is not trusted).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad Request");

    private static IResult TooLarge(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large");
}
