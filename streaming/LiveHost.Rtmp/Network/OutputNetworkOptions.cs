namespace LiveHost.Rtmp.Network;

/// <summary>
/// Which networks RTMP outputs may reach, bound from <c>Outputs</c>. By default only public addresses: an admin
/// cannot point an output at this machine, the internal network or a cloud metadata service (nor use its
/// <c>lastError</c> as a port scanner).
/// </summary>
public sealed class OutputNetworkOptions
{
    public const string SectionName = "Outputs";

    /// <summary>
    /// Hosts always allowed, whatever they resolve to: a host name as written in the URL (case-insensitive), an IP
    /// address, or a CIDR range ("10.1.0.0/16"). The one way to allow a metadata service address.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// True: outputs may also reach private (RFC 1918, fc00::/7), carrier-grade NAT, link-local and loopback addresses
    /// (an ingest server on the LAN, or tests on 127.0.0.1). Cloud metadata addresses stay refused unless listed in
    /// <see cref="AllowedHosts"/>.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        for (var i = 0; i < AllowedHosts.Length; i++)
        {
            var host = AllowedHosts[i];
            if (string.IsNullOrWhiteSpace(host) || host.Any(char.IsWhiteSpace)
                || (host.Contains('/', StringComparison.Ordinal) && !System.Net.IPNetwork.TryParse(host, out _)))
            {
                errors.Add($"{SectionName}:AllowedHosts:{i} '{host}' is not a host name, an IP address or a CIDR range.");
            }
        }
        return errors;
    }
}
