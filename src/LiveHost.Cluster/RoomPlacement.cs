namespace LiveHost.Cluster;

/// <summary>
/// Where each room should run: deterministic greedy on most spare capacity. A room whose lease a live node holds stays
/// there; each other room, in name order, goes to the node with the most spare rooms left (ties: fewer rooms, then
/// the smaller id), which then has one fewer. Every node computes the same answer from the same snapshot and claims
/// only its own rooms, so no coordinator is needed; a node claims one room per round and the next round sees it.
/// Nodes that do not take rooms yet (<see cref="NodeRecord.TakesRooms"/>) get none. A room some node held before (in
/// <c>heldBefore</c>: its node died or let it go) is a takeover: it goes to a node past its start-up delay when there is
/// one (<see cref="NodeRecord.Starting"/>), so it does not wait for a node just restarted to finish starting; rooms
/// nobody held yet go to starting nodes too, so a cluster started together spreads its rooms over all of them.
/// </summary>
public static class RoomPlacement
{
    public static IReadOnlyDictionary<string, string> Assign(
        IReadOnlyList<string> rooms, IReadOnlyDictionary<string, LeaseValue> holders, IReadOnlyList<NodeRecord> nodes,
        IReadOnlySet<string>? heldBefore = null)
    {
        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        var alive = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        // Only nodes that take rooms now get new ones; a node still in its placement delay keeps what it holds.
        var spare = nodes.Where(n => n.TakesRooms).ToDictionary(n => n.Id, n => n.SpareRooms, StringComparer.Ordinal);
        var started = nodes.Where(n => n.TakesRooms && !n.Starting).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var running = spare.Keys.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        foreach (var room in rooms)
        {
            if (holders.TryGetValue(room, out var lease) && alive.Contains(lease.Node))
            {
                assignment[room] = lease.Node;
                if (running.TryGetValue(lease.Node, out var count)) running[lease.Node] = count + 1;
            }
        }
        foreach (var room in rooms.Order(StringComparer.Ordinal))
        {
            if (assignment.ContainsKey(room) || spare.Count == 0) continue;
            var takeover = heldBefore?.Contains(room) == true && started.Count > 0;
            var best = spare.Keys
                .Where(id => !takeover || started.Contains(id))
                .OrderByDescending(id => spare[id])
                .ThenBy(id => running[id])
                .ThenBy(id => id, StringComparer.Ordinal)
                .First();
            assignment[room] = best;
            spare[best]--;
            running[best]++;
        }
        return assignment;
    }
}
