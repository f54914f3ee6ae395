using System.Net;
using System.Net.Sockets;

namespace LiveHost.Rtmp.Network;

/// <summary>
/// Sorts an IP address into an <see cref="AddressCategory"/>. IPv6 forms that carry an IPv4 address (mapped
/// ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside, so
/// ::ffff:169.254.169.254 is the metadata service like 169.254.169.254.
/// </summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressCategory Category)[] Ranges =
    [
        (IPNetwork.Parse("169.254.169.254/32"), AddressCategory.Metadata),
        (IPNetwork.Parse("168.63.129.16/32"), AddressCategory.Metadata),
        (IPNetwork.Parse("100.100.100.200/32"), AddressCategory.Metadata),
        (IPNetwork.Parse("fd00:ec2::254/128"), AddressCategory.Metadata),
        (IPNetwork.Parse("0.0.0.0/8"), AddressCategory.Unspecified),
        (IPNetwork.Parse("10.0.0.0/8"), AddressCategory.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressCategory.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressCategory.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressCategory.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressCategory.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressCategory.Reserved),
        (IPNetwork.Parse("224.0.0.0/4"), AddressCategory.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressCategory.Reserved),
        (IPNetwork.Parse("::/128"), AddressCategory.Unspecified),
        (IPNetwork.Parse("::1/128"), AddressCategory.Loopback),
        (IPNetwork.Parse("fc00::/7"), AddressCategory.Private),
        (IPNetwork.Parse("fec0::/10"), AddressCategory.Private),
        (IPNetwork.Parse("fe80::/10"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("ff00::/8"), AddressCategory.Multicast),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");

    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Judge the IPv4 address a v6 form carries; scope ids do not matter.
            if (address.IsIPv4MappedToIPv6) return Classify(address.MapToIPv4());
            var bytes = address.GetAddressBytes();
            if (Nat64.Contains(address) || (Ipv4Compatible.Contains(address) && !IsZeroOrOne(bytes)))
                return Classify(new IPAddress(bytes.AsSpan(12, 4)));
            if (SixToFour.Contains(address)) return Classify(new IPAddress(bytes.AsSpan(2, 4)));
            if (address.ScopeId != 0) address = new IPAddress(bytes);
        }
        foreach (var (network, category) in Ranges)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address)) return category;
        }
        return AddressCategory.Public;
    }

    /// <summary>How a category reads in an error message ("a private network address").</summary>
    public static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.Unspecified => "an unspecified address",
        AddressCategory.Loopback => "a loopback address",
        AddressCategory.Private => "a private network address",
        AddressCategory.LinkLocal => "a link-local address",
        AddressCategory.Metadata => "a cloud metadata service address",
        AddressCategory.SharedAddressSpace => "a carrier-grade NAT address (100.64.0.0/10)",
        AddressCategory.Multicast => "a multicast address",
        AddressCategory.Reserved => "a reserved address",
        _ => "a public address",
    };

    // :: and ::1 are themselves, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1.
    private static bool IsZeroOrOne(byte[] bytes) => bytes.AsSpan(0, 15).IndexOfAnyExcept((byte)0) < 0 && bytes[15] <= 1;
}
