using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// The mouth shape for each viseme, tuned by eye for a cartoon: exaggerated enough to read at a glance on a small
/// player, never so wide that it looks like shouting.
/// </summary>
public static class VisemeMouthShapes
{
    // Indexed by (int)Viseme; the order must follow the enum.
    private static readonly MouthShape[] Table =
    [
        /* Silence */ MouthShape.Closed,
        /* PP (p b m)   */ new(0.00f, 0.90f, 0.30f, 0.0f, 0.0f),
        /* FF (f v)     */ new(0.16f, 0.95f, 0.10f, 1.0f, 0.0f),
        /* TH           */ new(0.26f, 0.95f, 0.20f, 0.7f, 1.0f),
        /* DD (t d)     */ new(0.30f, 0.95f, 0.20f, 0.8f, 0.5f),
        /* KK (k g)     */ new(0.36f, 0.95f, 0.30f, 0.5f, 0.3f),
        /* CH (ch j sh) */ new(0.30f, 0.75f, 0.70f, 0.9f, 0.2f),
        /* SS (s z)     */ new(0.18f, 1.05f, 0.10f, 1.0f, 0.0f),
        /* NN (n l)     */ new(0.24f, 0.95f, 0.20f, 0.6f, 0.6f),
        /* RR           */ new(0.30f, 0.80f, 0.60f, 0.4f, 0.3f),
        /* AA           */ new(0.95f, 1.05f, 0.40f, 0.5f, 0.5f),
        /* E            */ new(0.55f, 1.15f, 0.20f, 0.7f, 0.3f),
        /* I            */ new(0.40f, 1.20f, 0.10f, 0.8f, 0.2f),
        /* O            */ new(0.70f, 0.70f, 1.00f, 0.2f, 0.3f),
        /* U            */ new(0.35f, 0.55f, 1.00f, 0.1f, 0.1f),
    ];

    public static MouthShape For(Viseme viseme)
    {
        var index = (int)viseme;
        return (uint)index < (uint)Table.Length ? Table[index] : MouthShape.Closed;
    }

    /// <summary>Visemes made with the lips pressed together: loudness must not pry them open.</summary>
    public static bool IsClosedLips(Viseme viseme) => viseme is Viseme.Silence or Viseme.PP;
}
