using System.Collections.Concurrent;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>
/// <c>Idempotency-Key</c> for <c>POST /api/rooms/{room}/outputs</c>: a retried request (same room, key and body) gets the
/// output the first one made instead of a second push to the same place; the same key with a different body is refused
/// (422 <c>idempotencyKeyReused</c>). A key is kept for <see cref="Retention"/> after its output was made, and forgotten
/// early when that output is removed. Requests with one key are serialized, so two racing retries make one output.
/// </summary>
public sealed class OutputIdempotency(TimeProvider time)
{
    /// <summary>How long a key is remembered (what the IETF Idempotency-Key draft suggests as a typical window).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Keys longer than this, or holding anything but printable ASCII, are refused (400).</summary>
    public const int MaxKeyLength = 255;

    private readonly ConcurrentDictionary<(string Room, string Key), Entry> _entries = new();

    private sealed class Entry
    {
        public readonly Lock Gate = new();
        public AddOutputRequest? Request;
        public string? OutputId;
        public DateTimeOffset MadeAt;
    }

    /// <summary>Null when <paramref name="key"/> is a usable key, otherwise what is wrong with it.</summary>
    public static string? Validate(string key)
    {
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            return $"Idempotency-Key must be 1 to {MaxKeyLength} printable ASCII characters without spaces";
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="add"/> unless this room already made an output for <paramref name="key"/>: then the same body
    /// returns that output (<c>Created</c> false) and a different body throws <see cref="CommandRejectedException"/>.
    /// An output the key made that is no longer listed (removed) frees the key.
    /// </summary>
    public (OutputState Output, bool Created) AddOnce(
        string room, string key, AddOutputRequest request, Func<OutputState> add, Func<string, OutputState?> find)
    {
        Forget(time.GetUtcNow() - Retention);
        var entry = _entries.GetOrAdd((room, key), static _ => new Entry());
        lock (entry.Gate)
        {
            if (entry.OutputId is { } id && find(id) is { } existing)
            {
                if (entry.Request != request)
                {
                    throw new CommandRejectedException(RejectionCode.IdempotencyKeyReused,
                        $"Idempotency-Key '{key}' already made output '{id}' in room '{room}' with a different body; use a new key for a different output");
                }
                return (existing, false);
            }
            var output = add();
            entry.Request = request;
            entry.OutputId = output.Id;
            entry.MadeAt = time.GetUtcNow();
            return (output, true);
        }
    }

    private void Forget(DateTimeOffset before)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.OutputId is not null && entry.MadeAt < before) _entries.TryRemove(key, out _);
        }
    }
}
