using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// The events waiting for one SignalR connection, and the one writer that hands them to its transport in order.
/// Posting never waits: a connection whose transport stops taking data (a client that stopped reading, a dead
/// network) fills only its own outbox, and is aborted once the outbox passes <see cref="SlowClientOptions.MaxBufferBytes"/>
/// or an event has waited longer than <see cref="SlowClientOptions.MaxSendDelay"/>.
/// </summary>
internal sealed class ClientOutbox
{
    /// <summary>Why a connection was dropped: its outbox grew past the byte bound.</summary>
    public const string BufferReason = "buffer";

    /// <summary>Why a connection was dropped: an event waited past the time bound.</summary>
    public const string DelayReason = "delay";

    private readonly HubConnectionContext _connection;
    private readonly SlowClientOptions _options;
    private readonly TimeProvider _time;
    private readonly LiveHostMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<string, string> _onDropped;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private long _bytes;
    private int _dropped;

    /// <param name="dropped">Told the connection id and the reason after a drop.</param>
    public ClientOutbox(HubConnectionContext connection, SlowClientOptions options, TimeProvider time, LiveHostMetrics metrics, ILogger logger,
        Action<string, string> dropped)
    {
        _onDropped = dropped;
        _connection = connection;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public string ConnectionId => _connection.ConnectionId;

    public string? UserIdentifier => _connection.UserIdentifier;

    /// <summary>Serialized bytes posted and not yet taken by the transport.</summary>
    public long PendingBytes => Interlocked.Read(ref _bytes);

    /// <summary>Queues <paramref name="message"/> (serialized once for all connections that share its protocol); never waits.</summary>
    public void Post(SerializedHubMessage message)
    {
        if (Volatile.Read(ref _dropped) != 0) return;
        var size = message.GetSerializedMessage(_connection.Protocol).Length;
        var pending = Interlocked.Add(ref _bytes, size);
        if (pending > _options.MaxBufferBytes)
        {
            Drop(BufferReason, $"{pending} bytes of events waiting, more than ControlPlane:SlowClient:MaxBufferBytes ({_options.MaxBufferBytes})");
            return;
        }
        _pending.Writer.TryWrite(new Pending(message, size, _time.GetTimestamp()));
    }

    /// <summary>The writer: runs until the connection closes or is dropped.</summary>
    public async Task RunAsync()
    {
        var aborted = _connection.ConnectionAborted;
        try
        {
            await foreach (var item in _pending.Reader.ReadAllAsync(CancellationToken.None))
            {
                if (Volatile.Read(ref _dropped) != 0 || aborted.IsCancellationRequested) return;
                var left = _options.MaxSendDelay - _time.GetElapsedTime(item.PostedAt);
                var write = _connection.WriteAsync(item.Message, aborted);
                if (write.IsCompletedSuccessfully)
                {
                    await write; // already complete: continues at once, and releases a pooled ValueTask source
                }
                else if (left <= TimeSpan.Zero || !await CompletesWithin(write.AsTask(), left, aborted))
                {
                    Drop(DelayReason, $"an event waited more than ControlPlane:SlowClient:MaxSendDelay ({_options.MaxSendDelay}) for the client to take it");
                    return;
                }
                Interlocked.Add(ref _bytes, -item.Size);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The connection closed while an event was on its way.
        }
        catch (Exception exception)
        {
            SlowClientLog.SendFailed(_logger, exception, _connection.ConnectionId);
            _connection.Abort();
        }
    }

    /// <summary>The connection is gone: the writer ends and what waits is forgotten.</summary>
    public void Close() => _pending.Writer.TryComplete();

    private async Task<bool> CompletesWithin(Task write, TimeSpan limit, CancellationToken aborted)
    {
        try
        {
            await write.WaitAsync(limit, _time, aborted);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Drop(string reason, string detail)
    {
        if (Interlocked.Exchange(ref _dropped, 1) != 0) return;
        SlowClientLog.Dropped(_logger, _connection.ConnectionId, _connection.User?.Identity?.Name ?? "anonymous", detail);
        _metrics.HubClientDropped(reason);
        _connection.Abort();
        Close();
        _onDropped(_connection.ConnectionId, reason);
    }

    private readonly record struct Pending(SerializedHubMessage Message, int Size, long PostedAt);
}
