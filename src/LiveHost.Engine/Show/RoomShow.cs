using LiveHost.Avatars.Products;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Show;

/// <summary>
/// One room's show: the script it loops (its <see cref="IRoomFiller"/>) and the product card it shows.
///
/// Loop: whenever the engine would idle (nothing speaks, nothing queued, not paused) it asks <see cref="TryNext"/>,
/// which hands out the script's next line (source <c>script</c>) from memory, wrapping around; a line's
/// <c>pauseAfterMs</c> is silence after it, counted from the first moment the room is idle again. Stopping takes
/// effect after the line on air. The loop (script, line to play first) is stored off the tick through the
/// <see cref="RoomScriptWriter"/>: after a restart it carries on with the script line that was last handed out.
///
/// Card: shown by hand (<see cref="ShowProduct"/>, optionally counting down) or, otherwise, while the line on air names
/// a product. Read per frame by <see cref="CardFrame"/> from the <see cref="ProductCatalog"/>'s memory.
/// </summary>
public sealed class RoomShow : IRoomFiller
{
    private readonly string _room;
    private readonly string _language;
    private readonly IScriptStore _scripts;
    private readonly ProductCatalog _products;
    private readonly RoomScriptWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private RoomController? _controller;
    private IRoomEventSink? _events;

    private Script? _script;
    private int _next;
    private int _gapAfterMs;
    private DateTimeOffset? _gapUntil;
    private volatile HandShown? _hand;

    public RoomShow(string room, string language, IScriptStore scripts, ProductCatalog products, RoomScriptWriter writer, TimeProvider time)
    {
        _room = room;
        _language = language;
        _scripts = scripts;
        _products = products;
        _writer = writer;
        _time = time;
        // Read once, at start: a loop that ran before a restart carries on with the line it had handed out last.
        if (writer.Store.LoadRoomScript(room) is { Mode: ScriptMode.Loop } stored && scripts.Get(stored.ScriptId) is { Lines.Count: > 0 } script)
        {
            _script = script;
            _next = Math.Clamp(stored.Position, 0, script.Lines.Count - 1);
        }
    }

    public string Room => _room;

    /// <summary>Connects the show to its room's controller (made after the engine, which needs the show first).</summary>
    public void Attach(RoomController controller, IRoomEventSink events)
    {
        _controller = controller;
        _events = events;
    }

    private RoomController Controller => _controller ?? throw new InvalidOperationException($"room '{_room}' has no controller attached");

    public ScriptStatus? Script
    {
        get
        {
            lock (_gate)
            {
                return _script is { } s ? new ScriptStatus(s.Id!, s.Name!, ScriptMode.Loop, _next, s.Lines!.Count) : null;
            }
        }
    }

    public bool TryNext(DateTimeOffset now, out Line line)
    {
        line = null!;
        lock (_gate)
        {
            if (_script is not { Lines: { Count: > 0 } lines } script) return false;
            if (_gapAfterMs > 0)
            {
                // The line before has just ended (the engine asks again only once the room is idle): the gap starts now.
                _gapUntil = now.AddMilliseconds(_gapAfterMs);
                _gapAfterMs = 0;
            }
            if (_gapUntil is { } until)
            {
                if (now < until) return false;
                _gapUntil = null;
            }
            var index = _next % lines.Count;
            var next = lines[index];
            _next = (index + 1) % lines.Count;
            _gapAfterMs = next.PauseAfterMs ?? 0;
            line = new Line(
                Id: Guid.CreateVersion7(now).ToString("N"),
                Room: _room,
                Text: next.Text ?? "",
                Language: next.Language ?? _language,
                Status: LineStatus.Queued,
                Reason: null,
                QueuedAt: now,
                StartedAt: null,
                FinishedAt: null,
                Voice: next.Voice)
            { Source = LineSources.Script, ScriptId = script.Id, Product = next.Product, Action = next.Action };
            _writer.Save(_room, new StoredRoomScript(script.Id!, ScriptMode.Loop, index));
            return true;
        }
    }

    public RoomState Annotate(RoomState state)
    {
        ProductOnAir? product = null;
        if (_hand is { } hand && Find(hand.ProductId) is { } shown)
        {
            product = new ProductOnAir(shown.Id!, shown.Name!, ProductShownBy.Hand, hand.EndsAt);
        }
        else if (state.Current?.Product is { } id && Find(id) is { } named)
        {
            product = new ProductOnAir(named.Id!, named.Name!, ProductShownBy.Line, null);
        }
        return state with { Script = Script, Product = product };
    }

    /// <summary>The card for the frame now being drawn (null: none). Memory only: called on the tick.</summary>
    public ProductCardFrame? CardFrame(Line? onAir)
    {
        if (_hand is { } hand && _products.Card(hand.ProductId) is { } card)
        {
            int? left = hand.EndsAt is { } ends ? (int)Math.Ceiling(Math.Max(0, (ends - _time.GetUtcNow()).TotalSeconds)) : null;
            return new ProductCardFrame(card, left);
        }
        return onAir?.Product is { } id && _products.Card(id) is { } named ? new ProductCardFrame(named, null) : null;
    }

    /// <summary>Once: queues the script's lines behind what is queued. Loop: makes it the room's filler, from its first line.</summary>
    public async ValueTask<RoomState> PlayAsync(Script script, ScriptMode mode, CancellationToken cancellationToken = default)
    {
        var lines = script.Lines ?? [];
        if (mode == ScriptMode.Once)
        {
            var requests = lines.Select(l => new LineRequest(_room, l.Text, l.Language, l.Voice) { Product = l.Product, Action = l.Action }).ToList();
            await Controller.EnqueueScriptAsync(script.Id!, requests, cancellationToken).ConfigureAwait(false);
            return Controller.GetState();
        }
        // Lines are validated when the script is saved (a product deleted since would only show no card); the room's
        // moderation policy is the room's, so it is checked here, before the loop starts: a looping line plays unattended.
        Controller.RefuseFlagged(lines.Select(l => new Line("", _room, l.Text ?? "", l.Language ?? _language, LineStatus.Queued, null,
            default, null, null)));
        Controller.RefuseUnknownActions(lines.Select(l => l.Action));
        lock (_gate)
        {
            _script = script;
            _next = 0;
            _gapAfterMs = 0;
            _gapUntil = null;
        }
        _writer.Save(_room, new StoredRoomScript(script.Id!, ScriptMode.Loop, 0));
        return Changed();
    }

    /// <summary>Ends the loop; the line on air (a script line too) plays to its end.</summary>
    public RoomState Stop()
    {
        lock (_gate)
        {
            _script = null;
            _gapAfterMs = 0;
            _gapUntil = null;
        }
        _writer.Save(_room, null);
        return Changed();
    }

    /// <summary>A script was saved: a loop playing it goes on with its new lines (from the same place, if it still has it).</summary>
    public void ScriptUpdated(Script script)
    {
        lock (_gate)
        {
            if (_script?.Id != script.Id || script.Lines is not { Count: > 0 } lines) return;
            _script = script;
            _next %= lines.Count;
        }
        Changed();
    }

    /// <summary>A script was deleted: a loop playing it stops (after the line on air).</summary>
    public void ScriptDeleted(string id)
    {
        bool playing;
        lock (_gate) playing = _script?.Id == id;
        if (playing) Stop();
    }

    public RoomState ShowProduct(string productId, int? countdownSeconds)
    {
        var product = _products.Get(productId);
        if (countdownSeconds is < 1 or > 86_400)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"countdownSeconds is {countdownSeconds}; use 1 to 86400, or leave it out for no countdown");
        }
        _hand = new HandShown(product.Id!, countdownSeconds is { } s ? _time.GetUtcNow().AddSeconds(s) : null);
        return Changed();
    }

    public RoomState HideProduct()
    {
        _hand = null;
        return Changed();
    }

    private Product? Find(string id) => _products.TryGet(id, out var product) ? product : null;

    private RoomState Changed()
    {
        var state = Controller.GetState();
        _events?.StateChanged(state);
        return state;
    }

    private sealed record HandShown(string ProductId, DateTimeOffset? EndsAt);
}
