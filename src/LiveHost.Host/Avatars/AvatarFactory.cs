using System.Collections.Concurrent;
using LiveHost.Avatars;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic;
using LiveHost.Engine.Options;
using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;

namespace LiveHost.Host.Avatars;

/// <summary>
/// Builds each room's presenter: the built-in cartoon (its mouth driven by phoneme marks, or by the viseme model
/// listening to the audio when the room's MouthSource is "audio"), or a realistic avatar from a package directory,
/// loaded through <see cref="AvatarPackageLoader"/> (which refuses a package without valid consent) and lip-synced
/// by the package's own Wav2Lip-contract model when it ships one, or by its mouth atlas (<c>lipSync: atlas</c>; the
/// visemes from the phoneme marks, or from the viseme model listening to the audio when MouthSource is "audio"). Packages and models are loaded once and shared by
/// the rooms that use them; which room shows which consent (<see cref="ConsentIdentity"/>) is kept for the consent
/// watcher. Package ids need not be unique across folders, but two packages with one id under different consents are
/// refused (<see cref="PackageRejection.DuplicateId"/>): logs, events and /healthz name rooms' packages by id.
/// </summary>
public sealed class AvatarFactory : IAvatarFactory
{
    private readonly AvatarHostOptions _options;
    private readonly OnnxModelHost _models;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<AvatarFactory> _logger;
    private readonly ConcurrentDictionary<string, AvatarPackage> _packages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConsentIdentity> _roomConsents = new(StringComparer.Ordinal);
    // Every room this factory made a presenter for; null for a cartoon (its lip-sync never runs late).
    private readonly ConcurrentDictionary<string, RealisticAvatar?> _roomAvatars = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly double _visemeLeadMilliseconds;
    private VisemeModel? _visemeModel;
    // Some voice gives no phoneme timings (a speech server's, issue 12): phoneme-driven cartoons ask the viseme model for those lines.
    private readonly bool _untimedVoices;

    public AvatarFactory(AvatarHostOptions options, ConsentVerifier consent, OnnxModelHost models, EngineOptions engine, TimeProvider time,
        ILoggerFactory loggers, LiveHost.Speech.ISpeechSynthesizer? speech = null)
    {
        _untimedVoices = speech?.Voices.Any(v => !v.HasPhonemeTimings) ?? false;
        _visemeLeadMilliseconds = engine.VisemeLeadMilliseconds;
        _options = options;
        Consent = consent;
        _models = models;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<AvatarFactory>();
    }

    public ConsentVerifier Consent { get; }

    /// <summary>Every package loaded so far (by id).</summary>
    public IReadOnlyCollection<AvatarPackage> Packages => [.. _packages.Values];

    /// <summary>The rooms showing a likeness under <paramref name="consent"/>.</summary>
    public IReadOnlyList<string> RoomsShowing(ConsentIdentity consent) =>
        [.. _roomConsents.Where(pair => pair.Value == consent).Select(pair => pair.Key)];

    /// <summary>Every room given a presenter, with its realistic avatar (null for a cartoon), for the rooms' metrics.</summary>
    public IReadOnlyCollection<KeyValuePair<string, RealisticAvatar?>> RoomAvatars => [.. _roomAvatars];

    /// <summary>Raised when a package is loaded for a room (the consent watcher starts watching it).</summary>
    public event Action<AvatarPackage>? PackageLoaded;

    public IAvatar Create(string room, RoomOptions options)
    {
        var made = Prepare(room, options);
        MarkShowing(room, made);
        return made.Avatar;
    }

    /// <summary>
    /// Builds the presenter <paramref name="options"/> name for <paramref name="room"/> without showing it yet: a built-in
    /// look, or a package (loaded and its consent checked now; the consent monitor starts watching it). The consent
    /// watcher learns the room shows it only from <see cref="MarkShowing"/>.
    /// </summary>
    /// <exception cref="AvatarPackageRejectedException">The package may not be used.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification =
        "A factory: every presenter, estimator and wrapper made here leaves inside the PreparedAvatar, whose owner disposes it.")]
    public PreparedAvatar Prepare(string room, RoomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (CartoonLook.TryGet(options.Avatar, out var look))
        {
            IAvatar cartoon = new CartoonPresenter(look);
            var phonemes = options.MouthSource != RoomOptions.AudioMouth;
            if (phonemes && !_untimedVoices) return new PreparedAvatar(cartoon, look.Id, null, null);
            // Speech-server voices give no phoneme timings: on their frames the mouth follows the audio model instead.
            if (phonemes) return new PreparedAvatar(new AudioDrivenMouthAvatar(cartoon, new UntimedSpeechVisemeEstimator(AudioEstimator(options))), look.Id, null, null);
            _logger.LogInformation("Room {Room}: the cartoon's mouth follows the audio (viseme model {Model}, {Provider})",
                room, _options.VisemeModelPath, _models.ExecutionProvider);
            return new PreparedAvatar(new AudioDrivenMouthAvatar(cartoon, AudioEstimator(options)), look.Id, null, null);
        }

        var package = LoadPackage(options.Avatar);
        Wav2LipModel? lipSync = null;
        if (package.LipSyncModel is { } model && package.Atlas is null) lipSync = new Wav2LipModel(_models, package.ModelPath(model));
        _logger.LogInformation("Room {Room}: realistic avatar {Id} ({Subject}), lip-sync {LipSync}", room, package.Id,
            package.Consent.Subject, package.Atlas is not null ? $"mouth atlas ({package.Atlas.Samples.Count} samples, mouth from {options.MouthSource})"
                : lipSync is null ? "none (recorded mouth)" : $"{package.LipSyncModel!.Path} on {_models.ExecutionProvider}");
        PackageLoaded?.Invoke(package);
        var avatar = new RealisticAvatar(package, lipSync,
            new RealisticAvatarOptions { LipSyncWait = TimeSpan.FromMilliseconds(_options.LipSyncWaitMilliseconds) },
            _loggers.CreateLogger<RealisticAvatar>());
        // A mouth atlas shows the viseme of each frame: the phoneme marks', or the audio model's (MouthSource "audio").
        IAvatar shown = package.Atlas is not null && options.MouthSource == RoomOptions.AudioMouth
            ? new AudioDrivenMouthAvatar(avatar, AudioEstimator(options))
            : avatar;
        return new PreparedAvatar(shown, package.Id, ConsentIdentity.Of(package.Consent), avatar);
    }

    /// <summary>From now on <paramref name="room"/> shows <paramref name="made"/>: a revocation of its consent stops the room.</summary>
    public void MarkShowing(string room, PreparedAvatar made)
    {
        ArgumentNullException.ThrowIfNull(made);
        if (made.Consent is { } consent) _roomConsents[room] = consent;
        else _roomConsents.TryRemove(room, out _);
        _roomAvatars[room] = made.Realistic;
    }

    /// <summary>Forgets <paramref name="room"/> (removed at run time).</summary>
    public void Forget(string room)
    {
        _roomConsents.TryRemove(room, out _);
        _roomAvatars.TryRemove(room, out _);
    }

    private ModelVisemeEstimator AudioEstimator(RoomOptions options)
    {
        // The same lead the engine gives phoneme visemes: the middle of the tick plus VisemeLeadMilliseconds.
        var lead = 48_000 / options.Fps / 2 + (int)(48 * _visemeLeadMilliseconds);
        return new ModelVisemeEstimator(VisemeModel(), TimeSpan.FromMilliseconds(_options.VisemeWaitMilliseconds), lead);
    }

    private AvatarPackage LoadPackage(string path)
    {
        var key = Path.GetFullPath(path);
        lock (_gate)
        {
            if (_packages.TryGetValue(key, out var loaded))
            {
                // Loaded before (another room, an earlier switch): its consent is checked again for this use.
                var status = Consent.Verify(loaded.Consent, _time.GetUtcNow(), out var detail);
                if (status != ConsentStatus.Valid) throw new AvatarPackageRejectedException(key, AvatarPackageRejectedException.FromConsent(status), detail);
                return loaded;
            }
            var package = AvatarPackageLoader.Load(key, Consent, _time);
            var identity = ConsentIdentity.Of(package.Consent);
            var clash = _packages.Values.FirstOrDefault(other => other.Id == package.Id && ConsentIdentity.Of(other.Consent) != identity);
            if (clash is not null)
            {
                throw new AvatarPackageRejectedException(key, PackageRejection.DuplicateId,
                    $"package id '{package.Id}' is already used by {clash.Directory} under {ConsentIdentity.Of(clash.Consent)}; this package has {identity}. " +
                    "Give each package its own id (AvatarBuilder --id) so a revocation and the logs name the right one.");
            }
            _packages[key] = package;
            return package;
        }
    }

    private VisemeModel VisemeModel()
    {
        lock (_gate)
        {
            if (_visemeModel is not null) return _visemeModel;
            _visemeModel = new VisemeModel(_models, _options.VisemeModelPath);
            _visemeModel.WarmUp(TimeSpan.FromSeconds(30));
            return _visemeModel;
        }
    }
}
