using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveHost.Console.Tests;

/// <summary>A host whose ASP.NET Core logging is turned all the way up, so a key in a logged URL would show.</summary>
public sealed class VerboseConsoleServer : ConsoleServer
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };
}

/// <summary>
/// Where the key typed into the console goes: sessionStorage, the Authorization header, and the hub's WebSocket
/// access_token; never the page, its address, another URL or a log line. And how the page and its files are served.
/// </summary>
public sealed class ConsoleKeyTests(VerboseConsoleServer server) : IClassFixture<VerboseConsoleServer>
{
    [Fact]
    public async Task The_typed_key_is_kept_in_session_storage_sent_only_to_hubs_in_a_url_and_written_to_no_log_line()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        var urls = new List<string>();
        browser.Context.Request += (_, request) => urls.Add(request.Url);
        browser.Context.Page += (_, page) => page.WebSocket += (_, socket) => urls.Add(socket.Url);
        var console = await ConsolePage.SignInAsync(browser, server.BaseAddress, ConsoleServer.ProducerKey);
        await console.SayAsync("A line so the hub and the REST paths log what they log.");

        Assert.Equal(ConsoleServer.ProducerKey, await console.Page.EvaluateAsync<string>("() => sessionStorage.getItem('livehost.console.key')"));
        Assert.DoesNotContain(ConsoleServer.ProducerKey, console.Page.Url);
        Assert.DoesNotContain(ConsoleServer.ProducerKey, await console.Page.ContentAsync());
        Assert.Equal("", await console.Page.InputValueAsync("#key"));
        var withKey = urls.Where(u => u.Contains(ConsoleServer.ProducerKey, StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(withKey);
        Assert.All(withKey, u => Assert.StartsWith(server.BaseAddress.ToString().Replace("http", "ws", StringComparison.Ordinal) + "hubs/control?", u));

        Assert.Contains(server.Logs.Lines, l => l.Contains("/hubs/control", StringComparison.Ordinal));
        var leaks = server.Logs.Lines.Where(l => ConsoleServer.Keys.Any(k => l.Contains(k, StringComparison.Ordinal))).ToArray();
        Assert.True(leaks.Length == 0, "log lines with a key:\n" + string.Join("\n", leaks.Take(5)));
    }

    [Fact]
    public async Task The_page_is_served_without_a_key_with_a_strict_content_security_policy_and_holds_no_data()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/console/main");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        var html = await response.Content.ReadAsStringAsync();
        // The same bytes for every room: nothing from the address or the server's data is written into the page.
        Assert.Equal(html, await client.GetStringAsync("/console/%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
        Assert.DoesNotContain("<script>", html.Replace("<script src=", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var signalr = await client.GetAsync("/console/assets/signalr.min.js");
        Assert.Equal(HttpStatusCode.OK, signalr.StatusCode);
        Assert.Equal("text/javascript", signalr.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/assets/appsettings.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/assets/..%2F..%2Fappsettings.json")).StatusCode);
    }

    [Fact]
    public async Task Api_me_names_the_key_and_its_role_and_refuses_a_missing_or_wrong_key()
    {
        using (var seller = server.Client(ConsoleServer.SellerKey))
        {
            var me = await seller.GetFromJsonAsync<JsonElement>("/api/me");
            Assert.Equal("Sam Seller", me.GetProperty("name").GetString());
            Assert.Equal("seller", me.GetProperty("role").GetString());
        }
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me")).StatusCode);
        using var wrong = server.Client("not-a-key-of-this-server");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/me")).StatusCode);
    }
}
