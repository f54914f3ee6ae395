namespace LiveHost.Host.Configuration;

/// <summary>Thrown at start when the configuration is invalid; the message lists every problem, one per line.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<string> errors)
    : Exception("LiveHost configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
