using System.Threading.Channels;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.ControlPlane.Tests.Comments;

/// <summary>
/// The control-plane test host with comment settings, a clock the test moves (<see cref="Time"/>: rate limits are
/// judged on it, so no test waits for real seconds) and FAQ entries kept in memory.
/// </summary>
public static class CommentHost
{
    public static async Task<(ControlPlaneTestHost Host, FakeTimeProvider Time)> StartAsync(Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var configuration = ControlPlaneTestHost.RoleKeys();
        foreach (var (key, value) in settings ?? []) configuration[key] = value;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var host = await ControlPlaneTestHost.StartAsync(configuration, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IFaqStore, InMemoryFaqStore>();
            services?.Invoke(s);
        });
        return (host, time);
    }

    /// <summary>Every <paramref name="eventName"/> the connection receives, in order.</summary>
    public static Channel<T> Collect<T>(HubConnection connection, string eventName)
    {
        var channel = Channel.CreateUnbounded<T>();
        connection.On<T>(eventName, item => channel.Writer.TryWrite(item));
        return channel;
    }

    public static async Task<List<T>> TakeAsync<T>(Channel<T> channel, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var items = new List<T>(count);
        while (items.Count < count) items.Add(await channel.Reader.ReadAsync(cts.Token));
        return items;
    }

    public static Task<HubException> RefusedAsync(Func<Task> call) => Assert.ThrowsAsync<HubException>(call);
}
