using System.Collections.Concurrent;
using LiveHost.Avatars;
using LiveHost.Avatars.Packages;
using LiveHost.Engine.Options;
using LiveHost.Engine.Playback;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Avatars;
using SkiaSharp;
using LiveHost.Speech;

namespace LiveHost.Host.Rooms;

/// <summary>
/// One room's presenter stage: the <see cref="PresenterSwitcher"/> its compositor draws, and the presenters SetPresenter
/// prepared for it. Preparing (on the caller's thread, never the tick) builds the avatar through the
/// <see cref="IAvatarFactory"/> (a package is loaded and its consent checked there), draws one frame of it off screen so
/// its first live frame costs no more than the next, and makes the cross-fade's surface. Showing, on the tick, only
/// hands the prepared avatar to the switcher and tells the consent watcher the room shows it. A prepared package whose
/// consent is withdrawn before it is shown is dropped (<see cref="DiscardUnder"/>), so it never reaches a frame.
/// </summary>
public sealed class RoomPresenter : IPresenterStage, IDisposable
{
    private readonly string _room;
    private readonly RoomOptions _options;
    private readonly IAvatarFactory? _factory;
    private readonly ConcurrentDictionary<string, PreparedAvatar> _prepared = new(StringComparer.Ordinal);
    private volatile string _presenter;

    public RoomPresenter(string room, RoomOptions options, PresenterSwitcher switcher, IAvatarFactory? factory)
    {
        _room = room;
        _options = options;
        _factory = factory;
        Switcher = switcher;
        _presenter = switcher.Id;
    }

    public PresenterSwitcher Switcher { get; }

    public string Presenter => _presenter;

    public IReadOnlyList<string> Actions => Switcher.Actions;

    public string? PlayingAction => Switcher.Playing;

    public bool TryPlayAction(string action) => Switcher.TryPlay(action);

    public void Prepare(string key, string avatar)
    {
        var builtIn = CartoonLook.TryGet(avatar, out _);
        if (!builtIn && !File.Exists(Path.Combine(avatar, AvatarPackageManifest.FileName)))
        {
            throw new CommandRejectedException(RejectionCode.UnknownAvatar,
                $"unknown avatar '{Shorten(avatar)}': use a built-in look ({string.Join(", ", CartoonLook.ById.Keys)}) or an avatar package directory holding {AvatarPackageManifest.FileName}");
        }
        var options = For(avatar);
        PreparedAvatar made;
        if (_factory is null)
        {
            if (!builtIn) throw new CommandRejectedException(RejectionCode.Unavailable, "this server loads no avatar packages: use a built-in look");
            // Leaves inside the PreparedAvatar, which the switch hands to the switcher (its owner from then on).
#pragma warning disable CA2000
            made = new PreparedAvatar(new CartoonPresenter(CartoonLook.ById[avatar]), avatar, null, null);
#pragma warning restore CA2000
        }
        else
        {
            try
            {
                made = _factory.Prepare(_room, options);
            }
            catch (AvatarPackageRejectedException ex)
            {
                throw new CommandRejectedException(RejectionCode.AvatarRefused, $"the avatar may not be shown: {ex.Message}; room '{_room}' keeps its presenter");
            }
        }
        try
        {
            Warm(made.Avatar);
            Switcher.PrepareBlend(_options.Width, _options.Height);
        }
        catch
        {
            made.Avatar.Dispose();
            throw;
        }
        if (_prepared.TryRemove(key, out var replaced)) replaced.Avatar.Dispose();
        _prepared[key] = made;
    }

    public bool TryShow(string key)
    {
        if (!_prepared.TryRemove(key, out var made)) return false;
        _factory?.MarkShowing(_room, made);
        Switcher.Show(made.Avatar);
        _presenter = made.Id;
        return true;
    }

    public void Discard(string key)
    {
        if (_prepared.TryRemove(key, out var made)) made.Avatar.Dispose();
    }

    /// <summary>Drops every prepared presenter shown under <paramref name="consent"/> (it was withdrawn before they were shown).</summary>
    public int DiscardUnder(ConsentIdentity consent)
    {
        var dropped = 0;
        foreach (var (key, made) in _prepared)
        {
            if (made.Consent != consent || !_prepared.TryRemove(key, out _)) continue;
            made.Avatar.Dispose();
            dropped++;
        }
        return dropped;
    }

    // The room's own settings with another avatar (size, rate and mouth source stay the room's).
    private RoomOptions For(string avatar) => new()
    {
        Language = _options.Language,
        Width = _options.Width,
        Height = _options.Height,
        Fps = _options.Fps,
        MouthSource = _options.MouthSource,
        Avatar = avatar,
    };

    // One frame off screen, before the switch: lazily built caches (background, shaders, scaled frames) are paid here.
    private void Warm(IAvatar avatar)
    {
        using var surface = SKSurface.Create(new SKImageInfo(_options.Width, _options.Height, SKColorType.Bgra8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Skia could not create a surface to prepare the presenter on.");
        avatar.Render(new AvatarFrame(0, 0, LiveHost.Speech.Viseme.Silence, 0, false), surface.Canvas, _options.Width, _options.Height);
    }

    private static string Shorten(string value) => value.Length <= 120 ? value : value[..120] + "...";

    public void Dispose()
    {
        foreach (var key in _prepared.Keys) Discard(key);
    }
}
