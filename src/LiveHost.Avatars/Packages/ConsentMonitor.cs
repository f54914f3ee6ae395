using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Re-checks every consent in use every <see cref="ConsentOptions.RecheckInterval"/> (1 s by default, on the injected
/// clock) and raises <see cref="ConsentRevoked"/> once for a consent that is revoked, expires or otherwise stops being
/// valid; the host stops the rooms showing it. Consents are watched by their own identity
/// (<see cref="ConsentIdentity"/>: id and signature digest), not by the package id, which builders default to a folder
/// name: two packages called <c>astro</c> under two consents are two watched entries, and revoking one reaches only
/// the rooms showing it. With a 1 s period a revocation written to the list stops the room well within 5 s. A consent
/// is no longer watched after its event. When the revocation list changes, an entry that names no watched consent is
/// logged (a revocation by a signature that no loaded record carries would otherwise do nothing, silently).
/// </summary>
public sealed partial class ConsentMonitor : IAsyncDisposable
{
    private readonly ConsentVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsentMonitor> _logger;
    private readonly ConcurrentDictionary<ConsentIdentity, Watched> _watched = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private int _listVersionChecked = -1;
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

    /// <summary>The consents being watched.</summary>
    public IReadOnlyCollection<ConsentIdentity> WatchedConsents => [.. _watched.Keys];

    public void Watch(AvatarPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        Watch(package.Id, package.Consent);
    }

    /// <summary>Watches <paramref name="consent"/>; <paramref name="packageId"/> only names it in logs and events.</summary>
    public ConsentIdentity Watch(string packageId, ConsentRecord consent)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageId);
        ArgumentNullException.ThrowIfNull(consent);
        var identity = ConsentIdentity.Of(consent);
        lock (_gate)
        {
            var watched = _watched.GetOrAdd(identity, _ => new Watched(consent));
            watched.PackageIds.Add(packageId);
        }
        return identity;
    }

    public bool Unwatch(ConsentIdentity identity) => _watched.TryRemove(identity, out _);

    /// <summary>Starts the periodic re-check (idempotent).</summary>
    public void Start()
    {
        _loop ??= RunAsync(_stop.Token);
    }

    /// <summary>Checks every watched consent now; returns how many failed by this check.</summary>
    public int CheckNow()
    {
        var now = _time.GetUtcNow();
        var revoked = 0;
        foreach (var (identity, watched) in _watched)
        {
            var status = _verifier.Verify(watched.Consent, now, out var detail);
            if (status == ConsentStatus.Valid) continue;
            if (!_watched.TryRemove(new KeyValuePair<ConsentIdentity, Watched>(identity, watched))) continue;
            revoked++;
            _revoked.Add(watched.Consent);
            string[] packageIds;
            lock (_gate) packageIds = [.. watched.PackageIds.Order(StringComparer.Ordinal)];
            LogConsentFailed(identity.ToString(), string.Join(", ", packageIds), status, detail);
            try
            {
                ConsentRevoked?.Invoke(this, new ConsentRevokedEventArgs(identity, packageIds, status, detail));
            }
            catch (Exception e)
            {
                // A failing subscriber must not stop the checks for every other consent.
                LogHandlerFailed(e, identity.ToString());
            }
        }
        ReportUnmatchedRevocations();
        return revoked;
    }

    /// <summary>Once per changed list: logs each entry that names no consent being watched (or just revoked).</summary>
    private void ReportUnmatchedRevocations()
    {
        var list = _verifier.Revocations;
        var version = list.Version;
        if (Interlocked.Exchange(ref _listVersionChecked, version) == version) return;
        var consents = _watched.Values.Select(w => w.Consent).Concat(_revoked).ToArray();
        foreach (var entry in list.Entries)
        {
            if (consents.Any(c => ConsentRevocationList.Matches(entry, c))) continue;
            LogUnmatchedRevocation(entry.ConsentId ?? "(none)", entry.Signature ?? "(none)");
        }
    }

    /// <summary>Consents already reported: entries naming them are not "unmatched".</summary>
    private readonly ConcurrentBag<ConsentRecord> _revoked = [];

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

    private sealed class Watched(ConsentRecord consent)
    {
        public ConsentRecord Consent { get; } = consent;

        public HashSet<string> PackageIds { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(1, LogLevel.Warning, "{Consent} (avatar packages {PackageIds}) is no longer valid ({Status}): {Detail}")]
    private partial void LogConsentFailed(string consent, string packageIds, ConsentStatus status, string detail);

    [LoggerMessage(2, LogLevel.Error, "A ConsentRevoked handler failed for {Consent}")]
    private partial void LogHandlerFailed(Exception exception, string consent);

    [LoggerMessage(3, LogLevel.Warning, "The revocation list names consent id {ConsentId} / signature {Signature}, which matches no consent in use: " +
        "nothing was stopped by it (check the id, or copy the signature exactly from the package's manifest.json)")]
    private partial void LogUnmatchedRevocation(string consentId, string signature);
}

/// <summary>A watched consent stopped being valid: rooms showing it (by <see cref="Consent"/>, not by package id) must stop.</summary>
public sealed class ConsentRevokedEventArgs(ConsentIdentity consent, IReadOnlyList<string> packageIds, ConsentStatus status, string reason) : EventArgs
{
    public ConsentIdentity Consent { get; } = consent;

    /// <summary>The ids of the packages shown under this consent (for messages only: ids need not be unique).</summary>
    public IReadOnlyList<string> PackageIds { get; } = packageIds;

    public ConsentStatus Status { get; } = status;

    /// <summary>Why, in words (e.g. "consent 'c-1' was revoked: subject withdrew" or "the consent expired at ...").</summary>
    public string Reason { get; } = reason;
}
