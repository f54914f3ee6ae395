namespace LiveHost.Avatars;

/// <summary>Gestures or recorded actions an avatar can play on request (wave, point...), then return to idle.</summary>
public interface IAvatarActions { IReadOnlyList<string> Actions { get; } bool TryPlay(string action); }
