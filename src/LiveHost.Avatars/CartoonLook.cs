using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>How much of the cartoon presenter a frame shows.</summary>
public enum CartoonFraming
{
    /// <summary>Head and shoulders behind a desk (the original drawing).</summary>
    WaistUp,

    /// <summary>The whole figure standing on the studio floor, arms free to gesture.</summary>
    FullBody,
}

/// <summary>The hair the presenter wears (drawn in head space).</summary>
public enum CartoonHair
{
    /// <summary>A chin-length bob with side-swept bangs.</summary>
    Bob,

    /// <summary>Short hair, cropped above the ears.</summary>
    Cropped,
}

/// <summary>
/// One look of the built-in presenter: who it is (skin, hair, eyes), what it wears, and how it is framed. The built-in
/// avatar ids (<see cref="ById"/>) name these: <c>cartoon</c> (the original host, waist-up, blue blazer),
/// <c>cartoon-b</c> (a second host with short dark hair in a green blazer, waist-up) and <c>cartoon-fullbody</c> (the
/// original host standing, full body, with arm gestures).
/// </summary>
public sealed record CartoonLook(
    string Id,
    CartoonFraming Framing,
    CartoonHair HairStyle,
    SKColor Skin,
    SKColor SkinLight,
    SKColor SkinShadow,
    SKColor Eyelid,
    SKColor Hair,
    SKColor HairHighlight,
    SKColor Iris,
    SKColor IrisLight,
    SKColor Jacket,
    SKColor JacketShadow,
    SKColor Shirt,
    SKColor Trousers)
{
    public static readonly CartoonLook Classic = new(
        CartoonPresenter.BuiltInId, CartoonFraming.WaistUp, CartoonHair.Bob,
        CartoonPalette.Skin, CartoonPalette.SkinLight, CartoonPalette.SkinShadow, CartoonPalette.Eyelid,
        CartoonPalette.Hair, CartoonPalette.HairHighlight, CartoonPalette.Iris, CartoonPalette.IrisLight,
        CartoonPalette.Jacket, CartoonPalette.JacketShadow, CartoonPalette.Shirt, new SKColor(52, 56, 72));

    /// <summary>A second presenter: deeper skin, short black hair, dark eyes, a green blazer.</summary>
    public static readonly CartoonLook Second = new(
        CartoonLookIds.Second, CartoonFraming.WaistUp, CartoonHair.Cropped,
        new SKColor(198, 140, 100), new SKColor(214, 160, 120), new SKColor(168, 112, 80), new SKColor(184, 126, 90),
        new SKColor(28, 24, 26), new SKColor(70, 64, 66), new SKColor(54, 34, 24), new SKColor(96, 66, 44),
        new SKColor(46, 132, 92), new SKColor(32, 100, 68), new SKColor(250, 244, 226), new SKColor(40, 44, 40));

    /// <summary>The original presenter standing: full body, in a burgundy blazer, with arm gestures.</summary>
    public static readonly CartoonLook FullBody = Classic with
    {
        Id = CartoonLookIds.FullBody,
        Framing = CartoonFraming.FullBody,
        Jacket = new SKColor(150, 52, 70),
        JacketShadow = new SKColor(116, 36, 52),
    };

    /// <summary>Every built-in look, by avatar id.</summary>
    public static IReadOnlyDictionary<string, CartoonLook> ById { get; } =
        new Dictionary<string, CartoonLook>(StringComparer.Ordinal) { [Classic.Id] = Classic, [Second.Id] = Second, [FullBody.Id] = FullBody };

    /// <summary>The built-in look with this avatar id, if any.</summary>
    public static bool TryGet(string? id, out CartoonLook look)
    {
        look = Classic;
        if (id is null || !ById.TryGetValue(id, out var found)) return false;
        look = found;
        return true;
    }
}
