using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane;

/// <summary>
/// When a SignalR client that does not keep up with its room's events is dropped. Section
/// <c>ControlPlane:SlowClient</c>. Each connection has its own outbox of events; the server never waits for one client
/// to send to another. A connection is aborted when its outbox holds more than <see cref="MaxBufferBytes"/> of
/// serialized events, or when an event has waited longer than <see cref="MaxSendDelay"/> to be handed to its transport.
/// </summary>
public sealed class SlowClientOptions
{
    public const string SectionName = "ControlPlane:SlowClient";

    /// <summary>Serialized event bytes a connection may have waiting (not yet written to its transport). Default 1 MiB.</summary>
    public long MaxBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>How long an event may wait for a connection's transport to take it. Default 5 seconds.</summary>
    public TimeSpan MaxSendDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with these options, as messages that name the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBufferBytes is < 4096 or > 1024L * 1024 * 1024)
            errors.Add($"{SectionName}:MaxBufferBytes must be 4096 to 1073741824 (was {MaxBufferBytes}).");
        if (MaxSendDelay < TimeSpan.FromMilliseconds(100) || MaxSendDelay > TimeSpan.FromMinutes(10))
            errors.Add($"{SectionName}:MaxSendDelay must be 00:00:00.1 to 00:10:00 (was {MaxSendDelay}).");
        return errors;
    }
}

/// <summary>Checks <see cref="SlowClientOptions"/> when the host starts, listing every problem.</summary>
internal sealed class SlowClientOptionsValidator : IValidateOptions<SlowClientOptions>
{
    public ValidateOptionsResult Validate(string? name, SlowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
