namespace LiveHost.Speech;

/// <summary>
/// Mouth shapes, the 15-class set common to lip-sync tools (silence, PP, FF, TH, DD, kk, CH, SS, nn, RR, aa, E, I, O, U).
/// Several phonemes share one viseme because they look alike from outside the mouth.
/// </summary>
public enum Viseme : byte
{
    Silence, PP, FF, TH, DD, KK, CH, SS, NN, RR, AA, E, I, O, U,
}
