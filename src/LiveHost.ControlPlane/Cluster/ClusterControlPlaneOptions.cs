using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// The control plane's share of section <c>Cluster</c> (the node's id, public URL and leases are the cluster
/// process's): <see cref="Redis"/> turns on the SignalR Redis backplane, and <see cref="ForwardTimeout"/> bounds a
/// command forwarded to the node that runs its room. Unset <see cref="Redis"/> = one machine, nothing forwarded.
/// </summary>
public sealed class ClusterControlPlaneOptions
{
    public const string SectionName = "Cluster";

    /// <summary>StackExchange.Redis connection string (<c>127.0.0.1:6379</c>); null or empty: no backplane.</summary>
    public string? Redis { get; set; }

    /// <summary>How long a node waits for the owner's answer to a forwarded command. Default 10 seconds.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Prefix of the backplane's Redis channels, so several LiveHost deployments can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "livehost";

    public bool HasRedis => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Every problem with these options, as messages that name the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ForwardTimeout < TimeSpan.FromMilliseconds(100) || ForwardTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"{SectionName}:ForwardTimeout must be 00:00:00.1 to 00:05:00 (was {ForwardTimeout}).");
        if (string.IsNullOrWhiteSpace(ChannelPrefix))
            errors.Add($"{SectionName}:ChannelPrefix must not be empty.");
        return errors;
    }
}

/// <summary>Checks <see cref="ClusterControlPlaneOptions"/> when the host starts, listing every problem.</summary>
internal sealed class ClusterControlPlaneOptionsValidator : IValidateOptions<ClusterControlPlaneOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterControlPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
