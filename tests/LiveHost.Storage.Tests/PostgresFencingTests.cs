using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;
using LiveHost.Storage.Postgres;

namespace LiveHost.Storage.Tests;

/// <summary>
/// Fencing tokens in the shared store (issue 15 point 2): once a newer token is recorded for a room, a store holding the
/// older one cannot change the room's lines or state, and says so; the current holder writes as before.
/// </summary>
[UsesPostgres]
[Collection(PostgresCollection.Name)]
public sealed class PostgresFencingTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The tokens one node holds, as the host's lease table would answer.</summary>
    private sealed class Tokens : IRoomFence
    {
        public Dictionary<string, long> Held { get; } = new(StringComparer.Ordinal);
        public List<string> Refusals { get; } = [];
        public long? TokenOf(string room) => Held.TryGetValue(room, out var token) ? token : null;
        public void Refused(string room) => Refusals.Add(room);
    }

    private static Line NewLine(string room, string text) => new(Guid.NewGuid().ToString("N"), room, text, "en", LineStatus.Queued, null, T0, null, null);

    [StoreFact]
    public async Task A_store_whose_token_is_older_than_the_rooms_newest_cannot_write_the_room_and_the_new_owner_can()
    {
        using var database = PostgresDatabase.FromConnectionString(postgres.Server.ConnectionString(await postgres.Server.CreateDatabaseAsync()));
        PostgresSchema.Migrate(database);
        var oldTokens = new Tokens { Held = { ["r1"] = 1 } };
        var newTokens = new Tokens { Held = { ["r1"] = 2 } };
        var stale = new PostgresLineStore(database, oldTokens);
        var owner = new PostgresLineStore(database, newTokens);
        Assert.True(PostgresRoomFences.Advance(database, "r1", 1, "node-a"));
        var line = NewLine("r1", "Queued by the first owner.");
        stale.Insert(line, 1);

        Assert.True(PostgresRoomFences.Advance(database, "r1", 2, "node-b"));

        Assert.Throws<RoomFencedException>(() => stale.MarkStarted(line.Id, T0));
        Assert.Throws<RoomFencedException>(() => stale.MarkFinished(line.Id, FinishReason.Completed, T0));
        Assert.Throws<RoomFencedException>(() => stale.Insert(NewLine("r1", "Never stored."), 2));
        Assert.Throws<RoomFencedException>(() => stale.SaveRoomState("r1", new StoredRoomState(true)));
        Assert.Equal(["r1", "r1", "r1", "r1"], oldTokens.Refusals);
        var unchanged = Assert.Single(owner.LoadUnfinished("r1"));
        Assert.Equal((line.Id, LineStatus.Queued), (unchanged.Id, unchanged.Status));
        Assert.Null(owner.LoadRoomState("r1"));

        owner.MarkStarted(line.Id, T0);
        owner.MarkFinished(line.Id, FinishReason.Completed, T0);
        Assert.Empty(owner.LoadUnfinished("r1"));
        Assert.Empty(newTokens.Refusals);
    }

    [StoreFact]
    public async Task A_token_older_than_the_stored_one_is_not_recorded_and_a_node_without_a_lease_cannot_write()
    {
        using var database = PostgresDatabase.FromConnectionString(postgres.Server.ConnectionString(await postgres.Server.CreateDatabaseAsync()));
        PostgresSchema.Migrate(database);
        Assert.True(PostgresRoomFences.Advance(database, "r1", 5, "node-b"));

        Assert.False(PostgresRoomFences.Advance(database, "r1", 4, "node-a"));
        Assert.Equal((5L, "node-b"), PostgresRoomFences.Read(database, "r1"));

        var none = new Tokens();
        var store = new PostgresLineStore(database, none);
        var refused = Assert.Throws<RoomFencedException>(() => store.Insert(NewLine("r1", "No lease, no write."), 1));
        Assert.Contains("holds no lease", refused.Message, StringComparison.Ordinal);
        Assert.Empty(store.LoadUnfinished("r1"));
    }
}
