using System.Globalization;

namespace LiveHost.Cluster;

/// <summary>
/// Settings of section <c>Cluster</c> (issue 15 point 2). Nothing set (no <see cref="Redis"/>): a single machine, every
/// room runs here with no lease. With <see cref="Redis"/> set the node registers itself, rooms are placed on nodes and
/// each runs under a lease renewed every third of <see cref="LeaseSeconds"/>.
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>StackExchange.Redis configuration string, e.g. <c>redis.example:6379,password=...</c>; null: no cluster.</summary>
    public string? Redis { get; set; }

    /// <summary>This node's id, unique in the cluster; default: the machine name and the listening port.</summary>
    public string? NodeId { get; set; }

    /// <summary>The base URL other nodes and clients reach this node on (e.g. <c>http://10.0.0.5:8080</c>).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>How long a room's lease lives without renewal (5 s): a dead node's rooms move after at most this.</summary>
    public double LeaseSeconds { get; set; } = 5;

    /// <summary>Prefix of every Redis key LiveHost writes (several clusters may share one Redis).</summary>
    public string KeyPrefix { get; set; } = "livehost:";

    /// <summary>
    /// How long a node waits after it starts before taking rooms (default: one lease period), so that nodes started
    /// together have all registered before the first placement spreads the rooms over them.
    /// </summary>
    public double? PlacementDelaySeconds { get; set; }

    /// <summary>
    /// How many nodes a node must have seen alive at once before it takes its first room (default 1), like Consul's
    /// <c>bootstrap_expect</c>: a cluster whose nodes come up seconds apart still spreads its rooms over all of them.
    /// Only the first placement waits: once a node has seen that many, it takes rooms over from dead nodes whatever the
    /// count.
    /// </summary>
    public int BootstrapExpect { get; set; } = 1;

    /// <summary>Most rooms this node takes, whatever its measured CPU says (20).</summary>
    public int MaxRooms { get; set; } = 20;

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>Renewals, heartbeats and placement run this often: three chances to renew before a lease runs out.</summary>
    public TimeSpan RenewInterval => TimeSpan.FromSeconds(LeaseSeconds / 3);

    /// <summary>Every problem, naming the setting; empty when the settings can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled) return errors;
        if (!(LeaseSeconds >= 1 && LeaseSeconds <= 300))
        {
            errors.Add($"Cluster:LeaseSeconds must be between 1 and 300 (was {LeaseSeconds.ToString(CultureInfo.InvariantCulture)}).");
        }
        if (PlacementDelaySeconds is { } delay && !(delay >= 0 && delay <= 600))
        {
            errors.Add($"Cluster:PlacementDelaySeconds must be between 0 and 600 (was {delay.ToString(CultureInfo.InvariantCulture)}).");
        }
        if (BootstrapExpect is < 1 or > 64) errors.Add($"Cluster:BootstrapExpect must be between 1 and 64 (was {BootstrapExpect}).");
        if (MaxRooms < 1) errors.Add($"Cluster:MaxRooms must be at least 1 (was {MaxRooms}).");
        if (string.IsNullOrWhiteSpace(KeyPrefix)) errors.Add("Cluster:KeyPrefix must not be empty.");
        if (NodeId is { } id && (id.Length is 0 or > 128 || id.Any(c => char.IsWhiteSpace(c) || c == '|')))
        {
            errors.Add($"Cluster:NodeId must be 1-128 characters with no spaces or '|' (was \"{id}\").");
        }
        if (PublicUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
        {
            errors.Add($"Cluster:PublicUrl must be an absolute http(s) URL (was \"{url}\").");
        }
        return errors;
    }
}
