using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

/// <summary>Every error is a ProblemDetails with a code, limits hold whatever the body's encoding, a full queue says when to retry.</summary>
public sealed class ErrorResponseTests : IAsyncLifetime
{
    private const int TenMegabytes = 10 * 1024 * 1024;
    private readonly EngineRoom _room = new(new EngineOptions { MaxQueueLength = 1 });
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var registry = new RoomRegistry();
        registry.Add(_room.Controller);
        registry.Add(new FaultyRoom("broken"));
        _host = await StartAsync(services: s => s.AddSingleton<IRoomRegistry>(registry));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _room.DisposeAsync();
    }

    [Fact]
    public async Task A_10_MB_chunked_body_is_413_like_one_with_a_content_length_and_nothing_is_queued()
    {
        var chunked = new StreamContent(new LineBodyStream(TenMegabytes));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var sized = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"text\":\"" + new string('a', TenMegabytes) + "\"}"));
        sized.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var withoutLength = await _host.Client(SellerKey).PostAsync("/api/rooms/main/lines", chunked);
        var withLength = await _host.Client(SellerKey).PostAsync("/api/rooms/main/lines", sized);

        Assert.Null(chunked.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withoutLength.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withLength.StatusCode);
        Assert.Equal("payloadTooLarge", (await ProblemAsync(withoutLength)).GetProperty("code").GetString());
        Assert.Equal("payloadTooLarge", (await ProblemAsync(withLength)).GetProperty("code").GetString());
        Assert.Empty(_room.Controller.GetState().Queue);
    }

    public static TheoryData<string, string?, string, string?, string?, int, string> Errors() => new()
    {
        // method, key, path, body, content type, status, code
        { "POST", null, "/api/rooms/main/lines", "{\"text\":\"hi\"}", "application/json", 401, "unauthorized" },
        { "POST", ViewerKey, "/api/rooms/main/lines", "{\"text\":\"hi\"}", "application/json", 403, "forbidden" },
        { "GET", ViewerKey, "/api/rooms/nowhere", null, null, 404, "unknownRoom" },
        { "GET", ViewerKey, "/api/nothing/here", null, null, 404, "notFound" },
        { "DELETE", AdminKey, "/api/rooms/main/lines", null, null, 405, "methodNotAllowed" },
        { "POST", SellerKey, "/api/rooms/main/lines", "{\"text\":", "application/json", 400, "invalidInput" },
        { "POST", SellerKey, "/api/rooms/main/lines", "{\"text\":\"\"}", "application/json", 400, "textEmpty" },
        { "POST", ProducerKey, "/api/rooms/main/audio", "ID3", "audio/mpeg", 415, "unsupportedMediaType" },
        { "POST", null, "/whep/main", "v=0", "application/sdp", 503, "unavailable" },
        { "GET", ViewerKey, "/api/rooms/broken", null, null, 500, "internalError" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Every_error_is_problem_json_with_a_code_and_a_detail(string method, string? key, string path, string? body, string? type, int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type!);
        }

        var response = await _host.Client(key).SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ProblemAsync(response);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain(FaultyRoom.Fault, problem.ToString());
    }

    [Fact]
    public async Task A_full_queue_is_503_with_retry_after()
    {
        var seller = _host.Client(SellerKey);
        var first = await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "one" });

        var second = await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "two" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(CommandErrorMapping.RetryAfterSeconds), second.Headers.RetryAfter?.Delta);
        Assert.Equal("unavailable", (await ProblemAsync(second)).GetProperty("code").GetString());
        Assert.Single(_room.Controller.GetState().Queue);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>A JSON line request of a given size, produced as it is read, with no known length (so it is sent chunked).</summary>
    private sealed class LineBodyStream(int size) : Stream
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"text\":\"");
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, size - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = at < Head.Length ? Head[at] : at >= size - 2 ? (byte)(at == size - 2 ? '"' : '}') : (byte)'a';
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
