namespace LiveHost.Cluster;

/// <summary>
/// What a room's lease key holds: the owner and the fencing token it took the lease with, as <c>node|token</c>. Renewal
/// compares the whole value, so a node that lost a lease and took it again with a newer token cannot renew the old one.
/// </summary>
public readonly record struct LeaseValue(string Node, long Token)
{
    public override string ToString() => $"{Node}|{Token.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? value, out LeaseValue lease)
    {
        lease = default;
        var bar = value?.LastIndexOf('|') ?? -1;
        if (bar <= 0 || !long.TryParse(value.AsSpan(bar + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token)) return false;
        lease = new LeaseValue(value![..bar], token);
        return true;
    }
}
