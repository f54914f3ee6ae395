using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LiveHost.Engine.Show;

/// <summary>
/// Writes rooms' loop positions off the tick: <see cref="Save"/> only records the newest state per room and wakes a
/// writer task, which stores it (older states of the same room that were not yet written are simply superseded).
/// A failed write is logged and tried again with the next change or at <see cref="DisposeAsync"/>.
/// </summary>
public sealed partial class RoomScriptWriter : IAsyncDisposable
{
    private readonly IRoomScriptStore _store;
    private readonly ILogger<RoomScriptWriter> _logger;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _writer;

    public RoomScriptWriter(IRoomScriptStore store, ILogger<RoomScriptWriter> logger)
    {
        _store = store;
        _logger = logger;
        _writer = Task.Run(RunAsync);
    }

    public IRoomScriptStore Store => _store;

    /// <summary>Never waits: the state is written by the writer task soon after.</summary>
    public void Save(string room, StoredRoomScript? state)
    {
        _pending[room] = new Pending(state);
        _wake.Writer.TryWrite(true);
    }

    private async Task RunAsync()
    {
        while (await _wake.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            WritePending();
        }
        WritePending();
    }

    private void WritePending()
    {
        foreach (var room in _pending.Keys)
        {
            if (!_pending.TryRemove(room, out var pending)) continue;
            try
            {
                _store.SaveRoomScript(room, pending.State);
            }
            catch (LiveHost.Engine.Persistence.RoomFencedException ex)
            {
                // Another node runs the room now (several nodes): its position wins; this one is dropped, not retried.
                LogWriteFailed(room, ex.Message);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Kept for the next attempt unless a newer state arrived meanwhile.
                _pending.TryAdd(room, pending);
                LogWriteFailed(room, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _wake.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private sealed record Pending(StoredRoomScript? State);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: the script loop position could not be stored ({Problem}); tried again with the next change")]
    private partial void LogWriteFailed(string room, string problem);
}
