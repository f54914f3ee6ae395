using LiveHost.Engine.Options;

namespace LiveHost.Host.Capacity;

/// <summary>
/// The kinds of room capacity is counted in, by what drives their cost: <c>lip-synced</c> when the mouth follows the
/// audio (<c>MouthSource: audio</c>, an ONNX model per frame), else <c>realistic</c> for an avatar package (photo
/// frames), else <c>cartoon</c> (a built-in look drawn with SkiaSharp).
/// </summary>
public static class RoomKinds
{
    public const string Cartoon = "cartoon";
    public const string Realistic = "realistic";
    public const string LipSynced = "lip-synced";

    public static IReadOnlyList<string> All { get; } = [Cartoon, Realistic, LipSynced];

    public static string Of(RoomOptions options) =>
        options.MouthSource == RoomOptions.AudioMouth ? LipSynced : options.IsCartoon ? Cartoon : Realistic;
}
