using LiveHost.Avatars.Packages;

namespace LiveHost.Avatars.Realistic.Actions;

/// <summary>
/// Which stored frame a realistic presenter shows on each package tick: the idle loop, and the actions cut into it.
/// <code>
/// idle loop ──Request(a)──▶ waiting: the loop plays on until it shows a's entry idle frame (at most MaxWait ticks)
///    ▲                          │ the next tick
///    │                          ▼
///    └── from a's exit idle frame ◀── playing: a's stored frames, one per tick, entry to exit
/// </code>
/// The loop's position is the tick plus an offset; an action's end sets the offset so the loop goes on from the exit's
/// idle frame (forward). A request while an action plays waits for it to end; a newer request replaces one that waits.
/// <see cref="Advance"/> is called on the render thread, once per tick in order; <see cref="FrameAt"/> may be called from
/// any thread (the frame cache looks ahead with it): it reads one immutable plan.
/// </summary>
public sealed class ActionTimeline
{
    private readonly AvatarPackage _package;
    private readonly long _maxWaitTicks;
    private Plan _plan;
    private int _requested = -1;

    /// <param name="maxWaitTicks">How long a request may wait for the loop to reach the entry frame; longer: it is dropped.</param>
    public ActionTimeline(AvatarPackage package, long maxWaitTicks)
    {
        ArgumentNullException.ThrowIfNull(package);
        _package = package;
        _maxWaitTicks = Math.Max(0, maxWaitTicks);
        _plan = Plan.Idle(0);
    }

    /// <summary>The action playing on the last tick advanced to, or null.</summary>
    public string? Playing { get; private set; }

    /// <summary>Requests dropped because the loop would not reach the entry frame within the wait.</summary>
    public long Dropped { get; private set; }

    /// <summary>Asks for action <paramref name="action"/> (an index into the package's actions); any thread.</summary>
    public void Request(int action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(action, _package.Actions.Count);
        Volatile.Write(ref _requested, action);
    }

    /// <summary>Moves to <paramref name="tick"/>: starts a requested action's wait when the loop is free. Returns the stored frame.</summary>
    public int Advance(long tick)
    {
        var plan = Volatile.Read(ref _plan);
        if (plan.Action >= 0 && tick > plan.CutTick + plan.Count)
        {
            // The action is over: the loop goes on from its exit frame.
            plan = Plan.Idle(plan.ResumeOffset);
            Volatile.Write(ref _plan, plan);
        }
        var playing = plan.Action >= 0 && tick > plan.CutTick;
        if (!playing && Volatile.Read(ref _requested) >= 0)
        {
            var action = Interlocked.Exchange(ref _requested, -1);
            if (action >= 0) plan = Schedule(plan, action, tick);
        }
        var frame = plan.FrameAt(tick, _package);
        Playing = plan.Action >= 0 && tick > plan.CutTick ? _package.Actions[plan.Action].Name : null;
        return frame;
    }

    /// <summary>The stored frame shown on <paramref name="tick"/> as things are planned now (any thread).</summary>
    public int FrameAt(long tick) => Volatile.Read(ref _plan).FrameAt(tick, _package);

    private Plan Schedule(Plan current, int action, long tick)
    {
        var clip = _package.Actions[action];
        var period = _package.PingPong ? 2L * Math.Max(1, _package.FrameCount - 1) : _package.FrameCount;
        var limit = Math.Min(_maxWaitTicks, period);
        for (var wait = 0L; wait <= limit; wait++)
        {
            if (_package.LoopFrame(tick + wait + current.Offset) != clip.Entry.IdleFrame) continue;
            var cut = tick + wait;
            var next = new Plan(current.Offset, action, cut, _package.ActionStart(action), clip.Count, clip.Exit.IdleFrame - (cut + clip.Count + 1));
            Volatile.Write(ref _plan, next);
            return next;
        }
        Dropped++;
        var idle = Plan.Idle(current.Offset);
        Volatile.Write(ref _plan, idle);
        return idle;
    }

    /// <summary>
    /// Up to <see cref="CutTick"/> the loop at tick + <see cref="Offset"/>; ticks CutTick+1..CutTick+Count the action's
    /// stored frames from <see cref="Start"/>; after, the loop at tick + <see cref="ResumeOffset"/>.
    /// </summary>
    private sealed record Plan(long Offset, int Action, long CutTick, int Start, int Count, long ResumeOffset)
    {
        public static Plan Idle(long offset) => new(offset, -1, long.MaxValue, 0, 0, offset);

        public int FrameAt(long tick, AvatarPackage package)
        {
            if (Action < 0 || tick <= CutTick) return package.LoopFrame(tick + Offset);
            if (tick <= CutTick + Count) return Start + (int)(tick - CutTick - 1);
            return package.LoopFrame(tick + ResumeOffset);
        }
    }
}
