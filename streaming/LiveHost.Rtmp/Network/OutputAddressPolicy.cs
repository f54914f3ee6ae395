using System.Net;
using System.Net.Sockets;

namespace LiveHost.Rtmp.Network;

/// <summary>
/// Decides which addresses an output (RTMP, RTMPS, SRT, WHIP) may connect to (see <see cref="OutputNetworkOptions"/>). Used twice: when
/// an output is added (a literal or resolving address that is refused is a clear 400) and at every connect, on the
/// addresses the name resolves to then, so a name that later resolves to an internal address (DNS rebinding) is
/// refused without connecting. The connect then goes to exactly the addresses that were checked.
/// </summary>
public sealed class OutputAddressPolicy
{
    private readonly OutputNetworkOptions _options;
    private readonly HashSet<string> _allowedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _allowedNetworks = [];
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <param name="resolve">Name resolution (default: the system resolver); tests substitute a fake DNS.</param>
    public OutputAddressPolicy(OutputNetworkOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        _options = options;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        foreach (var host in options.AllowedHosts)
        {
            if (IPNetwork.TryParse(host, out var network)) _allowedNetworks.Add(network);
            else if (IPAddress.TryParse(host.Trim('[', ']'), out var address)) _allowedNetworks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else _allowedNames.Add(host.TrimEnd('.'));
        }
    }

    /// <summary>Only public addresses, nothing listed.</summary>
    public static OutputAddressPolicy PublicOnly { get; } = new(new OutputNetworkOptions());

    /// <summary>Null when an output may connect to <paramref name="address"/> of <paramref name="host"/>; otherwise why not.</summary>
    public string? Check(string host, IPAddress address)
    {
        if (_allowedNames.Contains(host.TrimEnd('.'))) return null;
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allowedNetworks.Any(n => n.Contains(plain) || n.Contains(address))) return null;
        var category = AddressClassifier.Classify(address);
        if (category == AddressCategory.Public) return null;
        if (_options.AllowPrivateNetworks && category is AddressCategory.Private or AddressCategory.Loopback
            or AddressCategory.LinkLocal or AddressCategory.SharedAddressSpace) return null;
        var named = IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"'{host}'" : $"'{host}' resolves to {address}, which";
        var hint = category == AddressCategory.Metadata
            ? "list it in Outputs:AllowedHosts to allow it"
            : "set Outputs:AllowPrivateNetworks=true or list the host in Outputs:AllowedHosts to allow it";
        return $"Output host {named} is {AddressClassifier.Describe(category)}; outputs may only reach public addresses by default ({hint})";
    }

    /// <summary>
    /// Resolves the URL's host and returns the addresses an output may connect to, in the resolver's order.
    /// </summary>
    /// <exception cref="OutputAddressRefusedException">Every address the host has is refused (the message says why).</exception>
    public async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var allowed = new List<IPAddress>(addresses.Length);
        string? firstRefusal = null;
        foreach (var address in addresses)
        {
            var refusal = Check(host, address);
            if (refusal is null) allowed.Add(address);
            else firstRefusal ??= refusal;
        }
        return allowed.Count > 0 ? [.. allowed] : throw new OutputAddressRefusedException(firstRefusal!);
    }

    /// <summary>
    /// The check made when an output is added: null when allowed (or when the name does not resolve now: the output
    /// then retries and each connect checks again), otherwise why not.
    /// </summary>
    public string? CheckOnAdd(string host, CancellationToken cancellationToken)
    {
        try
        {
            // Sync-over-async, on purpose and only here: an admin's add on a request thread, never the media path, bounded by
            // the caller's token. Making it async means making the control plane's IRoomOutputs.Add async end to end.
#pragma warning disable RS0030
            ResolveAllowedAsync(host, cancellationToken).GetAwaiter().GetResult();
#pragma warning restore RS0030
            return null;
        }
        catch (OutputAddressRefusedException refused)
        {
            return refused.Message;
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>An RTMP output's host is, or resolves only to, addresses the <see cref="OutputAddressPolicy"/> refuses.</summary>
public sealed class OutputAddressRefusedException(string message) : ArgumentException(message);
