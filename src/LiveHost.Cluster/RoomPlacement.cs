namespace LiveHost.Cluster;

/// <summary>
/// Where each room should run: deterministic greedy on most spare capacity. A room whose lease a live node holds stays
/// there; each other room, in name order, goes to the node with the most spare rooms left (ties: fewer rooms, then
/// the smaller id), which then has one fewer. Every node computes the same answer from the same snapshot and claims
/// only its own rooms, so no coordinator is needed; a node claims one room per round and the next round sees it.
/// </summary>
public static class RoomPlacement
{
    public static IReadOnlyDictionary<string, string> Assign(
        IReadOnlyList<string> rooms, IReadOnlyDictionary<string, LeaseValue> holders, IReadOnlyList<NodeRecord> nodes)
    {
        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (nodes.Count == 0) return assignment;
        var spare = nodes.ToDictionary(n => n.Id, n => n.SpareRooms, StringComparer.Ordinal);
        var running = nodes.ToDictionary(n => n.Id, n => 0, StringComparer.Ordinal);
        foreach (var room in rooms)
        {
            if (holders.TryGetValue(room, out var lease) && spare.ContainsKey(lease.Node))
            {
                assignment[room] = lease.Node;
                running[lease.Node]++;
            }
        }
        foreach (var room in rooms.Order(StringComparer.Ordinal))
        {
            if (assignment.ContainsKey(room)) continue;
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
