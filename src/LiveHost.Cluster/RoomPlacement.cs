namespace LiveHost.Cluster;

/// <summary>
/// Where each room should run: deterministic greedy on most spare capacity. A room whose lease a live node holds stays
/// there; each other room, in name order, goes to the node with the most spare rooms left (ties: fewer rooms, then
/// the smaller id), which then has one fewer. Every node computes the same answer from the same snapshot and claims
/// only its own rooms, so no coordinator is needed; a node claims one room per round and the next round sees it.
/// Nodes that do not take rooms yet (<see cref="NodeRecord.TakesRooms"/>) get none.
/// </summary>
public static class RoomPlacement
{
    public static IReadOnlyDictionary<string, string> Assign(
        IReadOnlyList<string> rooms, IReadOnlyDictionary<string, LeaseValue> holders, IReadOnlyList<NodeRecord> nodes)
    {
        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        var alive = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        // Only nodes that take rooms now get new ones; a node still in its placement delay keeps what it holds.
        var spare = nodes.Where(n => n.TakesRooms).ToDictionary(n => n.Id, n => n.SpareRooms, StringComparer.Ordinal);
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
            var best = spare.Keys
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
