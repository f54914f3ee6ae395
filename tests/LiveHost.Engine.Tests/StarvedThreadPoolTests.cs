using LiveHost.Engine.Options;

namespace LiveHost.Engine.Tests;

/// <summary>Runs alone: it blocks the thread pool on purpose, which would slow any test beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadPoolStarvationCollection
{
    public const string Name = "thread pool starvation";
}

/// <summary>
/// A room's loop owns its thread (issue 17): with every thread-pool thread blocked and more blocking work queued behind
/// them, the room still produces its ticks on time, on the real clock. (A loop that waits on a timer whose callback
/// runs on the pool stops until the pool has worked through the queue, seconds later.)
/// </summary>
[Collection(ThreadPoolStarvationCollection.Name)]
public sealed class StarvedThreadPoolTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_starved_thread_pool_does_not_delay_a_tick()
    {
        // A late tick here is one begun a whole second after it was due: far beyond a busy machine's scheduling delays,
        // far short of the seconds a starved pool takes.
        await using var room = new RoomFixture(_db.Path, options: new EngineOptions { AudioLeadMilliseconds = 0, LateTickMilliseconds = 1000 });
        using var produced = new ManualResetEventSlim();
        var target = long.MaxValue;
        room.Encoder.Written += frame =>
        {
            if (frame >= Volatile.Read(ref target)) produced.Set();
        };
        room.Engine.Start();

        using var release = new ManualResetEventSlim();
        var blockers = new CountdownEvent(1);
        try
        {
            // Many more blocking items than pool threads: the queue stays full for far longer than the test waits.
            for (var i = 0; i < 64 * Environment.ProcessorCount; i++)
            {
                blockers.AddCount();
                ThreadPool.UnsafeQueueUserWorkItem(_ =>
                {
                    release.Wait();
                    blockers.Signal();
                }, null);
            }
            // Two seconds of ticks from now, waited for on this thread (an await would need the pool).
            Volatile.Write(ref target, room.Engine.FrameIndex + 50);
            Assert.True(produced.Wait(TimeSpan.FromSeconds(20)), $"the room produced no more than frame {room.Engine.FrameIndex} with the pool starved");
        }
        finally
        {
            release.Set();
            blockers.Signal();
            blockers.Wait(TimeSpan.FromSeconds(30));
            blockers.Dispose();
        }
        Assert.Equal(0, room.Engine.Statistics.LateTicks);
        Assert.Equal(0, room.Engine.Statistics.SkippedFrames);
    }
}
