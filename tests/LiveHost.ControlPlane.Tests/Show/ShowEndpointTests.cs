using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveHost.Engine.Rooms;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Show;

public sealed class ShowEndpointTests : IAsyncLifetime
{
    private readonly ShowRoom _room = new();
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await StartAsync(services: s =>
        {
            s.AddSingleton<IRoomRegistry>(_room.Registry);
            s.AddSingleton(_room.Library);
        });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _room.DisposeAsync();
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code, string detailPart)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CreateScriptAsync(params string[] lines)
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/scripts", new { name = "ad", lines = lines.Select(t => new { text = t }) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonOf(response)).GetProperty("id").GetString()!;
    }

    private async Task<string> CreateProductAsync(string name = "Mug")
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/products", new { name, price = 19.9, currency = "usd", bullets = new[] { "holds 350 ml" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonOf(response)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_seller_creates_lists_reads_and_exports_a_script_and_a_viewer_may_not()
    {
        var id = await CreateScriptAsync("first", "second");

        var list = await JsonOf(await _host.Client(SellerKey).GetAsync("/api/scripts"));
        var listed = Assert.Single(list.GetProperty("scripts").EnumerateArray());
        Assert.Equal((id, 2), (listed.GetProperty("id").GetString(), listed.GetProperty("lineCount").GetInt32()));
        var text = await _host.Client(SellerKey).GetStringAsync($"/api/scripts/{id}/export?format=text");
        Assert.Equal("first\nsecond\n", text);
        var json = await JsonOf(await _host.Client(SellerKey).GetAsync($"/api/scripts/{id}/export?format=json"));
        Assert.Equal("second", json.GetProperty("lines")[1].GetProperty("text").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client(ViewerKey).GetAsync("/api/scripts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client(ViewerKey).PostAsJsonAsync("/api/scripts", new { name = "x", lines = new[] { new { text = "x" } } })).StatusCode);
        Assert.Single((await JsonOf(await _host.Client(SellerKey).GetAsync("/api/scripts"))).GetProperty("scripts").EnumerateArray());
    }

    [Fact]
    public async Task A_plain_text_script_is_imported_one_spoken_line_per_line()
    {
        var content = new StringContent("Welcome to the show\n\n欢迎光临\n", Encoding.UTF8, "text/plain");

        var response = await _host.Client(SellerKey).PostAsync("/api/scripts?name=Intro&language=zh", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var script = await JsonOf(response);
        Assert.Equal("Intro", script.GetProperty("name").GetString());
        Assert.Equal(["Welcome to the show", "欢迎光临"], script.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()));
        Assert.All(script.GetProperty("lines").EnumerateArray(), l => Assert.Equal("zh", l.GetProperty("language").GetString()));
    }

    [Fact]
    public async Task A_script_of_ten_thousand_lines_gets_413_naming_the_limit_and_nothing_is_stored()
    {
        var lines = Enumerable.Range(0, 10_000).Select(i => new { text = $"line {i}" });

        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/scripts", new { name = "huge", lines });

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "payloadTooLarge", "the limit is 1000 lines per script");
        Assert.Empty((await JsonOf(await _host.Client(SellerKey).GetAsync("/api/scripts"))).GetProperty("scripts").EnumerateArray());
    }

    [Fact]
    public async Task A_script_line_naming_an_unknown_product_gets_404_and_nothing_is_stored()
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/scripts",
            new { name = "ad", lines = new object[] { new { text = "ok" }, new { text = "buy", product = "ghost" } } });

        await AssertProblem(response, HttpStatusCode.NotFound, "unknownProduct", "script line 2: unknown product 'ghost'");
        Assert.Empty(_room.Library.ListScripts().Scripts);
    }

    [Fact]
    public async Task A_producer_loops_a_script_and_the_room_state_shows_it_while_a_seller_is_refused()
    {
        var id = await CreateScriptAsync("one", "two", "three");

        var refused = await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/script", new { scriptId = id, mode = "loop" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(_room.Controller.GetState().Script);

        var response = await _host.Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/script", new { scriptId = id, mode = "loop" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var script = (await JsonOf(response)).GetProperty("script");
        Assert.Equal((id, "ad", "loop", 0, 3),
            (script.GetProperty("id").GetString(), script.GetProperty("name").GetString(), script.GetProperty("mode").GetString(),
             script.GetProperty("position").GetInt32(), script.GetProperty("length").GetInt32()));
        _room.Ticks(1);
        var started = Assert.Single(_room.Events.Started);
        Assert.Equal(("one", "script", id), (started.Text, started.Source, started.ScriptId));

        var stopped = await _host.Client(ProducerKey).DeleteAsync("/api/rooms/main/script");
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await JsonOf(stopped)).GetProperty("script").ValueKind);
    }

    [Fact]
    public async Task Playing_an_unknown_script_or_an_unknown_mode_is_refused_and_changes_nothing()
    {
        var id = await CreateScriptAsync("one");

        await AssertProblem(await _host.Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/script", new { scriptId = "ghost", mode = "loop" }),
            HttpStatusCode.NotFound, "unknownScript", "unknown script 'ghost'");
        await AssertProblem(await _host.Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/script", new { scriptId = id, mode = "forever" }),
            HttpStatusCode.BadRequest, "invalidInput", "use \"once\"");
        Assert.Null(_room.Controller.GetState().Script);
        Assert.Empty(_room.Controller.GetState().Queue);
    }

    [Fact]
    public async Task Products_are_listed_to_viewers_edited_by_sellers_and_shown_by_producers_with_a_countdown()
    {
        var id = await CreateProductAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client(ViewerKey).PostAsJsonAsync("/api/products", new { name = "x", price = 1, currency = "USD" })).StatusCode);
        var listed = Assert.Single((await JsonOf(await _host.Client(ViewerKey).GetAsync("/api/products"))).GetProperty("products").EnumerateArray());
        Assert.Equal(("Mug", 19.9m, "USD"), (listed.GetProperty("name").GetString(), listed.GetProperty("price").GetDecimal(), listed.GetProperty("currency").GetString()));

        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/product", new { productId = id })).StatusCode);
        var shown = await _host.Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/product", new { productId = id, countdownSeconds = 299 });

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var product = (await JsonOf(shown)).GetProperty("product");
        Assert.Equal((id, "Mug", "hand"), (product.GetProperty("id").GetString(), product.GetProperty("name").GetString(), product.GetProperty("shownBy").GetString()));
        Assert.InRange(product.GetProperty("endsAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(280), TimeSpan.FromSeconds(300));

        var hidden = await _host.Client(ProducerKey).DeleteAsync("/api/rooms/main/product");
        Assert.Equal(JsonValueKind.Null, (await JsonOf(hidden)).GetProperty("product").ValueKind);
    }

    [Fact]
    public async Task Showing_an_unknown_product_or_queueing_a_line_naming_one_gets_404_and_changes_nothing()
    {
        await AssertProblem(await _host.Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/product", new { productId = "ghost" }),
            HttpStatusCode.NotFound, "unknownProduct", "unknown product 'ghost'");
        await AssertProblem(await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "buy it", product = "ghost" }),
            HttpStatusCode.NotFound, "unknownProduct", "unknown product 'ghost'");

        var state = _room.Controller.GetState();
        Assert.Null(state.Product);
        Assert.Empty(state.Queue);
    }

    [Fact]
    public async Task A_png_image_is_re_encoded_and_served_back_as_png()
    {
        var id = await CreateProductAsync();
        using var bitmap = new SKBitmap(40, 30);
        bitmap.Erase(SKColors.Teal);
        using var encoded = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        var content = new ByteArrayContent(encoded.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var response = await _host.Client(SellerKey).PutAsync($"/api/products/{id}/image", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("hasImage").GetBoolean());
        var served = await _host.Client(ViewerKey).GetAsync($"/api/products/{id}/image");
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        using var decoded = SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync());
        Assert.Equal((40, 30, (SKColor)SKColors.Teal), (decoded.Width, decoded.Height, decoded.GetPixel(20, 15)));
    }

    [Fact]
    public async Task A_pdf_renamed_to_png_gets_415_naming_png_and_jpeg_and_the_product_keeps_no_image()
    {
        var id = await CreateProductAsync();
        var content = new ByteArrayContent("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< >>\nendobj\n"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var response = await _host.Client(SellerKey).PutAsync($"/api/products/{id}/image", content);

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupportedMediaType", "PNG (image/png) or JPEG (image/jpeg)");
        Assert.False(_room.Library.Products.Get(id).HasImage);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client(ViewerKey).GetAsync($"/api/products/{id}/image")).StatusCode);
    }

    [Fact]
    public async Task A_40_MB_image_gets_413_naming_2_MiB_before_its_body_is_read()
    {
        var id = await CreateProductAsync();
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/products/{id}/image") { Content = new ByteArrayContent(new byte[40_000_000]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        // Like curl with a large body: the body is sent only once the server asks for it, which it never does.
        request.Headers.ExpectContinue = true;

        var response = await _host.Client(SellerKey).SendAsync(request);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "payloadTooLarge", "the limit is 2097152 bytes (2 MiB)");
        Assert.False(_room.Library.Products.Get(id).HasImage);
    }

    [Fact]
    public async Task An_image_of_another_type_gets_415_saying_what_is_accepted()
    {
        var id = await CreateProductAsync();
        var content = new ByteArrayContent("GIF89a"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/gif");

        var response = await _host.Client(SellerKey).PutAsync($"/api/products/{id}/image", content);

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupportedMediaType", "send a PNG (image/png) or JPEG (image/jpeg) image of at most 2 MiB");
    }
}
