using System.Diagnostics.CodeAnalysis;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Tests;

/// <summary>
/// TEST DOUBLE, not the engine: a room that records the commands it accepted and validates requests the way
/// CONTRACT.md says a room must (empty text, text over 5000 characters, unknown language: refused, nothing changes).
/// </summary>
public sealed class RecordingRoom(string name) : IRoomController
{
    public const int MaxTextLength = 5000;
    private static readonly string[] Languages = ["en", "zh"];
    private readonly Lock _gate = new();
    private readonly List<string> _accepted = [];
    private readonly List<Line> _queue = [];
    private int _nextId;
    private bool _paused;

    public string Name { get; } = name;

    /// <summary>Commands that passed validation, e.g. "enqueue:hello", "cue:now", "skip".</summary>
    public IReadOnlyList<string> Accepted
    {
        get
        {
            lock (_gate)
            {
                return _accepted.ToArray();
            }
        }
    }

    /// <summary>The requests accepted, with the room the control plane passed.</summary>
    public List<LineRequest> Requests { get; } = [];

    /// <summary>The same requests as they are accepted, for tests that wait for one.</summary>
    public System.Threading.Channels.Channel<LineRequest> RequestsReceived { get; } = System.Threading.Channels.Channel.CreateUnbounded<LineRequest>();

    public ValueTask<LineTicket> EnqueueAsync(LineRequest request, CancellationToken cancellationToken = default) => Accept("enqueue", request);

    public ValueTask<LineTicket> CueNowAsync(LineRequest request, CancellationToken cancellationToken = default) => Accept("cue", request);

    public ValueTask SkipAsync(CancellationToken cancellationToken = default) => Record("skip");

    public ValueTask PauseAsync(CancellationToken cancellationToken = default)
    {
        _paused = true;
        return Record("pause");
    }

    public ValueTask ResumeAsync(CancellationToken cancellationToken = default)
    {
        _paused = false;
        return Record("resume");
    }

    public ValueTask ClearQueueAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _queue.Clear();
        }

        return Record("clear");
    }

    public RoomState GetState()
    {
        lock (_gate)
        {
            return new RoomState(Name, "en", _paused ? RoomActivity.Paused : RoomActivity.Idle, _paused, null, _queue.ToArray(), 1280, 720, 30, 42,
                [new OutputState("o1", "rtmp", "rtmp://127.0.0.1/live/x", "connected", 1, 0, null)]);
        }
    }

    private ValueTask<LineTicket> Accept(string kind, LineRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new CommandRejectedException(RejectionCode.TextEmpty, "text is empty: say something");
        }

        if (request.Text.Length > MaxTextLength)
        {
            throw new CommandRejectedException(RejectionCode.TextTooLong, $"text is {request.Text.Length} characters; the limit is {MaxTextLength}");
        }

        var language = request.Language ?? "en";
        if (!Languages.Contains(language))
        {
            throw new CommandRejectedException(RejectionCode.UnknownLanguage, $"unknown language '{language}'; use en or zh");
        }

        lock (_gate)
        {
            var id = $"{Name}-{++_nextId}";
            var line = new Line(id, Name, request.Text, language, LineStatus.Queued, null, DateTimeOffset.UnixEpoch, null, null);
            var position = kind == "cue" ? 0 : _queue.Count + 1;
            _queue.Add(line);
            _accepted.Add($"{kind}:{request.Text}");
            Requests.Add(request);
            RequestsReceived.Writer.TryWrite(request);
            return ValueTask.FromResult(new LineTicket(id, Name, position));
        }
    }

    private ValueTask Record(string command)
    {
        lock (_gate)
        {
            _accepted.Add(command);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>TEST DOUBLE: rooms "main" and "studio-b", each a <see cref="RecordingRoom"/>.</summary>
public sealed class FakeRoomRegistry : IRoomRegistry
{
    private readonly Dictionary<string, RecordingRoom> _rooms = new(StringComparer.Ordinal)
    {
        ["main"] = new RecordingRoom("main"),
        ["studio-b"] = new RecordingRoom("studio-b"),
    };

    public IReadOnlyCollection<string> RoomNames => _rooms.Keys;

    public RecordingRoom this[string name] => _rooms[name];

    public IEnumerable<RecordingRoom> Rooms => _rooms.Values;

    public bool TryGetRoom(string name, [NotNullWhen(true)] out IRoomController? room)
    {
        var found = _rooms.TryGetValue(name, out var recording);
        room = recording;
        return found;
    }
}
