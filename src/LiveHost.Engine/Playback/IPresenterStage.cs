namespace LiveHost.Engine.Playback;

/// <summary>
/// The drawing stage's side of presenter switching (SetPresenter). A new presenter is prepared first, off the tick (its
/// package loaded and its consent checked, its first frame drawn), kept under a key (the switch's id), and only then
/// shown, on the tick, with a cross-fade. Nothing of a presenter is drawn before <see cref="TryShow"/>.
/// </summary>
public interface IPresenterStage
{
    /// <summary>The avatar id drawn now (a built-in look such as <c>cartoon</c>, or a package's id).</summary>
    string Presenter { get; }

    /// <summary>
    /// Builds the presenter named by <paramref name="avatar"/> (a built-in look or a package directory) and keeps it under
    /// <paramref name="key"/>. Refuses with <see cref="Rooms.CommandRejectedException"/>
    /// (<see cref="Rooms.RejectionCode.UnknownAvatar"/>, <see cref="Rooms.RejectionCode.AvatarRefused"/>) and changes nothing.
    /// </summary>
    void Prepare(string key, string avatar);

    /// <summary>
    /// Shows the presenter prepared under <paramref name="key"/> from the next frame on (cross-fading); false when none is
    /// (it was discarded: its consent was withdrawn meanwhile, or it was never prepared). Called on the tick: no I/O.
    /// </summary>
    bool TryShow(string key);

    /// <summary>Drops the presenter prepared under <paramref name="key"/>, if any.</summary>
    void Discard(string key);

    /// <summary>The actions the presenter on screen can play (wave, point...); none by default.</summary>
    IReadOnlyList<string> Actions => [];

    /// <summary>The action being drawn now, or null. Any thread.</summary>
    string? PlayingAction => null;

    /// <summary>Starts an action of the presenter on screen at its next good moment; false when it has no such action. Any thread, no I/O.</summary>
    bool TryPlayAction(string action) => false;
}
