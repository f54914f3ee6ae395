using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Re-checks the consent of every package in use every <see cref="ConsentOptions.RecheckInterval"/> (1 s by
/// default, on the injected clock) and raises <see cref="ConsentRevoked"/> once for a package whose consent is
/// revoked, expires or otherwise stops being valid; the host stops the rooms showing it. With a 1 s period a
/// revocation written to the list stops the room well within 5 s. The package is no longer watched after the event.
/// </summary>
public sealed class ConsentMonitor : IAsyncDisposable
{
    private readonly ConsentVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsentMonitor> _logger;
    private readonly ConcurrentDictionary<string, ConsentRecord> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ConsentMonitor(ConsentVerifier verifier, TimeProvider time, ILogger<ConsentMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(time);
        _verifier = verifier;
        _time = time;
        _logger = logger ?? NullLogger<ConsentMonitor>.Instance;
    }

    /// <summary>Raised (on the monitor's loop, or the caller of <see cref="CheckNow"/>) when a watched consent fails.</summary>
    public event EventHandler<ConsentRevokedEventArgs>? ConsentRevoked;

    public IReadOnlyCollection<string> WatchedPackageIds => [.. _watched.Keys];

    public void Watch(AvatarPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        Watch(package.Id, package.Consent);
    }

    public void Watch(string packageId, ConsentRecord consent)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageId);
        ArgumentNullException.ThrowIfNull(consent);
        _watched[packageId] = consent;
    }

    public bool Unwatch(string packageId) => _watched.TryRemove(packageId, out _);

    /// <summary>Starts the periodic re-check (idempotent).</summary>
    public void Start()
    {
        _loop ??= RunAsync(_stop.Token);
    }

    /// <summary>Checks every watched package now; returns how many were revoked by this check.</summary>
    public int CheckNow()
    {
        var now = _time.GetUtcNow();
        var revoked = 0;
        foreach (var (packageId, consent) in _watched)
        {
            var status = _verifier.Verify(consent, now, out var detail);
            if (status == ConsentStatus.Valid) continue;
            if (!_watched.TryRemove(new KeyValuePair<string, ConsentRecord>(packageId, consent))) continue;
            revoked++;
            _logger.LogWarning("Consent for avatar package {PackageId} is no longer valid ({Status}): {Detail}", packageId, status, detail);
            try
            {
                ConsentRevoked?.Invoke(this, new ConsentRevokedEventArgs(packageId, status, detail));
            }
            catch (Exception e)
            {
                // A failing subscriber must not stop the checks for every other package.
                _logger.LogError(e, "A ConsentRevoked handler failed for package {PackageId}", packageId);
            }
        }
        return revoked;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_verifier.RecheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                CheckNow();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the host's container and the watcher that owns it may both dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}

/// <summary>A watched package's consent stopped being valid: rooms showing <see cref="PackageId"/> must stop.</summary>
public sealed class ConsentRevokedEventArgs(string packageId, ConsentStatus status, string reason) : EventArgs
{
    public string PackageId { get; } = packageId;

    public ConsentStatus Status { get; } = status;

    /// <summary>Why, in words (e.g. "consent 'c-1' was revoked: subject withdrew" or "the consent expired at ...").</summary>
    public string Reason { get; } = reason;
}
