using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

public sealed class ControlHubTests : IAsyncLifetime
{
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Seller_enqueues_a_line_and_gets_a_ticket()
    {
        var seller = await _host.ConnectAsync(SellerKey);

        var ticket = await seller.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "from the hub", "en"));

        Assert.Equal(new LineTicket("main-1", "main", 1), ticket);
        Assert.Equal(["enqueue:from the hub"], _host.Rooms["main"].Accepted);
        Assert.Equal("main", _host.Rooms["main"].Requests[0].Room);
    }

    [Fact]
    public async Task The_room_inside_a_line_request_selects_the_room()
    {
        var producer = await _host.ConnectAsync(ProducerKey);

        var ticket = await producer.InvokeAsync<LineTicket>("CueNow", new LineRequest("studio-b", "now!"));

        Assert.Equal("studio-b", ticket.Room);
        Assert.Equal(0, ticket.Position);
        Assert.Equal(["cue:now!"], _host.Rooms["studio-b"].Accepted);
    }

    [Fact]
    public async Task Room_commands_may_leave_out_the_room_and_then_act_on_main()
    {
        var producer = await _host.ConnectAsync(ProducerKey);

        await producer.InvokeAsync("Skip");
        await producer.InvokeAsync("Pause");
        await producer.InvokeAsync("Resume", "studio-b");
        await producer.InvokeAsync("ClearQueue", (string?)null);
        var main = await producer.InvokeAsync<RoomState>("GetState");
        var b = await producer.InvokeAsync<RoomState>("GetState", "studio-b");

        Assert.Equal(["skip", "pause", "clear"], _host.Rooms["main"].Accepted);
        Assert.Equal(["resume"], _host.Rooms["studio-b"].Accepted);
        Assert.Equal("main", main.Room);
        Assert.True(main.Paused);
        Assert.Equal(RoomActivity.Paused, main.Activity);
        Assert.Equal("studio-b", b.Room);
    }

    [Fact]
    public async Task A_key_in_the_access_token_query_parameter_is_accepted()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.BaseAddress, "/hubs/control?access_token=" + ViewerKey))
            .Build();
        await using (connection)
        {
            await connection.StartAsync();
            var state = await connection.InvokeAsync<RoomState>("GetState");
            Assert.Equal("main", state.Room);
        }
    }

    [Theory]
    [InlineData(ViewerKey, "EnqueueLine", "this needs the seller role; your key has viewer")]
    [InlineData(SellerKey, "CueNow", "this needs the producer role; your key has seller")]
    [InlineData(ViewerKey, "CueNow", "this needs the producer role; your key has viewer")]
    public async Task A_line_command_above_the_callers_role_fails_naming_the_missing_role(string key, string method, string message)
    {
        var connection = await _host.ConnectAsync(key);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<LineTicket>(method, new LineRequest(null, "hi")));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Rooms["main"].Accepted);
    }

    [Theory]
    [InlineData("Skip")]
    [InlineData("Pause")]
    [InlineData("Resume")]
    [InlineData("ClearQueue")]
    public async Task Seller_cannot_give_producer_commands(string method)
    {
        var seller = await _host.ConnectAsync(SellerKey);

        var error = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync(method));

        Assert.Contains("this needs the producer role; your key has seller", error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Rooms["main"].Accepted);
    }

    [Fact]
    public async Task Admin_may_do_everything()
    {
        var admin = await _host.ConnectAsync(AdminKey);

        await admin.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "one"));
        await admin.InvokeAsync<LineTicket>("CueNow", new LineRequest(null, "two"));
        await admin.InvokeAsync("Skip");
        await admin.InvokeAsync("Pause");
        await admin.InvokeAsync("Resume");
        await admin.InvokeAsync("ClearQueue");
        await admin.InvokeAsync<RoomState>("Subscribe", "studio-b");

        Assert.Equal(["enqueue:one", "cue:two", "skip", "pause", "resume", "clear"], _host.Rooms["main"].Accepted);
    }

    [Fact]
    public async Task An_unknown_room_fails_with_a_message_naming_it()
    {
        var producer = await _host.ConnectAsync(ProducerKey);

        var onState = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<RoomState>("GetState", "nope"));
        var onLine = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest("nope", "hi")));
        var onSkip = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync("Skip", "nope"));

        Assert.Contains("unknown room 'nope'", onState.Message, StringComparison.Ordinal);
        Assert.Contains("unknown room 'nope'", onLine.Message, StringComparison.Ordinal);
        Assert.Contains("unknown room 'nope'", onSkip.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null, "text is empty")]
    [InlineData(null, null, "text is empty")]
    [InlineData("hola", "es", "unknown language 'es'")]
    public async Task Bad_input_fails_with_the_rooms_message_and_changes_nothing(string? text, string? language, string message)
    {
        var seller = await _host.ConnectAsync(SellerKey);

        var error = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, text, language)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Rooms["main"].Accepted);
        Assert.Empty(_host.Rooms["main"].GetState().Queue);
    }

    [Fact]
    public async Task Over_long_text_and_a_missing_request_are_refused_and_change_nothing()
    {
        var seller = await _host.ConnectAsync(SellerKey);

        var tooLong = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, new string('x', 5001))));
        var missing = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<LineTicket>("EnqueueLine", (LineRequest?)null));

        Assert.Contains("the limit is 5000", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("a line request is required", missing.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Rooms["main"].Accepted);
    }

    [Fact]
    public async Task Connecting_without_a_key_or_with_a_wrong_key_is_refused_with_401()
    {
        var none = await Assert.ThrowsAsync<HttpRequestException>(() => _host.ConnectAsync(null));
        var wrong = await Assert.ThrowsAsync<HttpRequestException>(() => _host.ConnectAsync("wrong-key-wrong-key"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.StatusCode);
    }
}
