using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>The built-in presenter's colours: warm skin, dark-brown hair, a friendly blue blazer, a light studio.</summary>
public static class CartoonPalette
{
    public static readonly SKColor SkyTop = new(164, 202, 232);
    public static readonly SKColor SkyMiddle = new(211, 229, 243);
    public static readonly SKColor SkyBottom = new(240, 230, 216);
    public static readonly SKColor Glow = new(255, 255, 255, 150);
    public static readonly SKColor Panel = new(255, 255, 255, 46);
    public static readonly SKColor Bokeh = new(255, 255, 255, 40);

    public static readonly SKColor DeskTop = new(112, 128, 160);
    public static readonly SKColor DeskFront = new(72, 84, 112);
    public static readonly SKColor DeskEdge = new(170, 186, 214);

    public static readonly SKColor Skin = new(247, 206, 172);
    public static readonly SKColor SkinLight = new(252, 222, 194);
    public static readonly SKColor SkinShadow = new(228, 168, 136);
    public static readonly SKColor Eyelid = new(238, 190, 156);
    public static readonly SKColor Blush = new(244, 140, 140, 105);

    public static readonly SKColor Hair = new(66, 44, 34);
    public static readonly SKColor HairHighlight = new(112, 80, 62);

    public static readonly SKColor EyeWhite = new(255, 255, 255);
    public static readonly SKColor Iris = new(92, 58, 38);
    public static readonly SKColor IrisLight = new(150, 104, 66);
    public static readonly SKColor Pupil = new(30, 20, 16);
    public static readonly SKColor Lash = new(43, 29, 23);

    public static readonly SKColor MouthInside = new(122, 44, 52);
    public static readonly SKColor Lips = new(160, 74, 72);
    public static readonly SKColor Teeth = new(255, 255, 252);
    public static readonly SKColor Tongue = new(226, 118, 122);

    public static readonly SKColor Jacket = new(58, 96, 160);
    public static readonly SKColor JacketShadow = new(44, 74, 128);
    public static readonly SKColor Shirt = new(246, 249, 252);
    public static readonly SKColor ShirtShadow = new(208, 218, 232);
}
