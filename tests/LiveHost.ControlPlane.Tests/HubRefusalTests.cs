using System.Net;
using System.Net.Http.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

/// <summary>
/// Hub calls that go wrong: arguments of the wrong type say which argument, refusals are logged once without a stack
/// trace, and only real faults are errors.
/// </summary>
public sealed class HubRefusalTests : IAsyncLifetime
{
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

    public static TheoryData<string, object?[], string> WrongArguments() => new()
    {
        { "EnqueueLine", [42], "argument 1 (request) of EnqueueLine must be a line request" },
        { "EnqueueLine", [new { text = 5 }], "argument 1 (request) of EnqueueLine must be a line request { \"text\": \"...\", \"language\"?, \"voice\"?, \"tag\"?, \"room\"? }; $.text cannot be a number" },
        { "CueNow", ["hello"], "argument 1 (request) of CueNow must be a line request { \"text\": \"...\", \"language\"?, \"voice\"?, \"tag\"?, \"room\"? }; got a string" },
        { "Skip", [123], "argument 1 (room) of Skip must be a room name (a string) or null; got a number" },
        { "Pause", ["main", "extra", 3], "Pause takes 0 to 1 argument(s) (room?); 3 given" },
    };

    [Theory]
    [MemberData(nameof(WrongArguments))]
    public async Task An_argument_of_the_wrong_type_is_refused_naming_the_argument_and_what_it_must_be(string method, object?[] arguments, string expected)
    {
        var hub = await _host.ConnectAsync(ProducerKey);

        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeCoreAsync<object>(method, arguments));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(_room.Controller.GetState().Queue);
    }

    [Fact]
    public async Task A_role_refusal_is_logged_once_at_information_without_a_stack_trace()
    {
        var hub = await _host.ConnectAsync(ViewerKey);

        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "hello")));

        var entry = Assert.Single(_host.Logs.Entries, e => e.Message.Contains(error.Message.Split(": ")[^1], StringComparison.Ordinal));
        Assert.Equal((LogLevel.Information, null), (entry.Level, entry.Exception));
        Assert.Contains("forbidden", entry.Message, StringComparison.Ordinal);
        AssertNoErrorsOrStackTraces();
    }

    [Fact]
    public async Task Bad_input_is_logged_once_at_information_and_a_full_queue_once_at_warning()
    {
        var hub = await _host.ConnectAsync(SellerKey);
        await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "fills the queue"));

        var empty = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, " ")));
        var full = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "one too many")));

        var emptyEntry = Assert.Single(_host.Logs.Entries, e => e.Message.Contains("(textEmpty)", StringComparison.Ordinal));
        var fullEntry = Assert.Single(_host.Logs.Entries, e => e.Message.Contains("(unavailable)", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Information, null), (emptyEntry.Level, emptyEntry.Exception));
        Assert.Equal((LogLevel.Warning, null), (fullEntry.Level, fullEntry.Exception));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("lines waiting", full.Message, StringComparison.Ordinal);
        AssertNoErrorsOrStackTraces();
    }

    [Fact]
    public async Task A_rest_refusal_is_logged_once_at_information_too()
    {
        var response = await _host.Client(ViewerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "hello" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var entry = Assert.Single(_host.Logs.Entries, e => e.Message.Contains("refused (forbidden)", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Information, null), (entry.Level, entry.Exception));
        AssertNoErrorsOrStackTraces();
    }

    [Fact]
    public async Task A_real_fault_in_a_hub_method_is_one_error_with_its_exception()
    {
        var hub = await _host.ConnectAsync(ViewerKey);

        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<RoomState>("GetState", "broken"));

        var error = Assert.Single(_host.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.IsType<InvalidOperationException>(error.Exception);
        Assert.Contains("GetState", error.Message, StringComparison.Ordinal);
    }

    private void AssertNoErrorsOrStackTraces()
    {
        var entries = _host.Logs.Entries;
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(entries, e => e.Exception is not null || e.Message.Contains("   at ", StringComparison.Ordinal));
    }
}
