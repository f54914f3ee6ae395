using System.Text.Json;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Show;

public sealed class ShowHubTests : IAsyncLifetime
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

    [Fact]
    public async Task A_seller_saves_a_script_and_every_connection_hears_ScriptsChanged()
    {
        var watcher = await _host.ConnectAsync(ViewerKey);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.On("ScriptsChanged", () => changed.TrySetResult());
        var seller = await _host.ConnectAsync(SellerKey);

        var saved = await seller.InvokeAsync<Script>("SaveScript", new Script(null, "ad", [new ScriptLine("hello")]));

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var listed = await seller.InvokeAsync<ScriptList>("ListScripts");
        Assert.Equal(saved.Id, Assert.Single(listed.Scripts).Id);
        Assert.Equal("hello", Assert.Single((await seller.InvokeAsync<Script>("GetScript", saved.Id)).Lines!).Text);
    }

    [Fact]
    public async Task A_seller_may_not_play_a_script_and_a_producer_may_with_the_room_argument_left_out()
    {
        var script = _room.Library.SaveScript(new Script(null, "ad", [new ScriptLine("one"), new ScriptLine("two")]));
        var seller = await _host.ConnectAsync(SellerKey);
        var producer = await _host.ConnectAsync(ProducerKey);

        var refused = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<RoomState>("PlayScript", script.Id, "loop"));
        Assert.Contains("producer", refused.Message, StringComparison.Ordinal);
        Assert.Null(_room.Controller.GetState().Script);

        var state = await producer.InvokeAsync<JsonElement>("PlayScript", script.Id, "loop");
        Assert.Equal("loop", state.GetProperty("script").GetProperty("mode").GetString());
        var stopped = await producer.InvokeAsync<JsonElement>("StopScript");
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("script").ValueKind);
    }

    [Fact]
    public async Task A_seller_saves_a_product_everyone_hears_ProductsChanged_and_a_producer_shows_and_hides_it()
    {
        var watcher = await _host.ConnectAsync(ViewerKey);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.On("ProductsChanged", () => changed.TrySetResult());
        var seller = await _host.ConnectAsync(SellerKey);
        var producer = await _host.ConnectAsync(ProducerKey);

        var product = await seller.InvokeAsync<Product>("SaveProduct", new Product(null, "保温杯", 199m, "CNY", ["12 h"]));
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(product.Id, Assert.Single((await watcher.InvokeAsync<ProductList>("ListProducts")).Products).Id);

        await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<RoomState>("ShowProduct", product.Id, null, null));
        var shown = await producer.InvokeAsync<JsonElement>("ShowProduct", product.Id);
        Assert.Equal(("保温杯", "hand"), (shown.GetProperty("product").GetProperty("name").GetString(), shown.GetProperty("product").GetProperty("shownBy").GetString()));
        var unknown = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<RoomState>("ShowProduct", "ghost"));
        Assert.Contains("unknown product 'ghost'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(product.Id, _room.Controller.GetState().Product?.Id);

        var hidden = await producer.InvokeAsync<JsonElement>("HideProduct");
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("product").ValueKind);
    }

    [Fact]
    public async Task A_script_of_ten_thousand_lines_is_refused_over_the_hub_naming_the_limit()
    {
        var seller = await _host.ConnectAsync(SellerKey);
        var lines = Enumerable.Range(0, 10_000).Select(i => new ScriptLine($"l{i}")).ToArray();

        var refused = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<Script>("SaveScript", new Script(null, "huge", lines)));

        Assert.Contains("the limit is 1000 lines per script", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_room.Library.ListScripts().Scripts);
    }
}
