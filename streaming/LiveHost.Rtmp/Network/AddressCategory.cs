namespace LiveHost.Rtmp.Network;

/// <summary>What kind of network an IP address is on, as far as an output is concerned.</summary>
public enum AddressCategory
{
    /// <summary>A global unicast address: outputs may reach it.</summary>
    Public,

    /// <summary>0.0.0.0/8, ::.</summary>
    Unspecified,

    /// <summary>127.0.0.0/8, ::1.</summary>
    Loopback,

    /// <summary>RFC 1918 (10/8, 172.16/12, 192.168/16), IPv6 unique local fc00::/7 and site-local fec0::/10.</summary>
    Private,

    /// <summary>169.254/16 (except the metadata address), fe80::/10.</summary>
    LinkLocal,

    /// <summary>Cloud instance metadata services: 169.254.169.254, fd00:ec2::254, 168.63.129.16, 100.100.100.200.</summary>
    Metadata,

    /// <summary>Carrier-grade NAT, 100.64.0.0/10 (RFC 6598).</summary>
    SharedAddressSpace,

    /// <summary>224.0.0.0/4, ff00::/8.</summary>
    Multicast,

    /// <summary>192.0.0.0/24, 198.18.0.0/15 (benchmarking), 240.0.0.0/4 and the broadcast address.</summary>
    Reserved,
}
