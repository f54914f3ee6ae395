using System.Collections.Frozen;

namespace LiveHost.Speech;

/// <summary>The CMU (ARPAbet) phone set Flite's English voices name their segments with.</summary>
public static partial class VisemeMap
{
    private static readonly FrozenDictionary<string, Viseme> Cmu = new Dictionary<string, Viseme>(StringComparer.OrdinalIgnoreCase)
    {
        ["pau"] = Viseme.Silence, ["h#"] = Viseme.Silence, ["brth"] = Viseme.Silence,
        // Vowels, diphthongs by their most open part (as for espeak).
        ["aa"] = Viseme.AA, ["ae"] = Viseme.AA, ["ah"] = Viseme.AA, ["aw"] = Viseme.AA, ["ay"] = Viseme.AA,
        ["ax"] = Viseme.E, ["eh"] = Viseme.E, ["er"] = Viseme.E, ["axr"] = Viseme.E, ["ey"] = Viseme.E,
        ["ih"] = Viseme.I, ["iy"] = Viseme.I,
        ["ao"] = Viseme.O, ["ow"] = Viseme.O, ["oy"] = Viseme.O,
        ["uh"] = Viseme.U, ["uw"] = Viseme.U,
        // Consonants.
        ["p"] = Viseme.PP, ["b"] = Viseme.PP, ["m"] = Viseme.PP, ["em"] = Viseme.PP,
        ["f"] = Viseme.FF, ["v"] = Viseme.FF,
        ["th"] = Viseme.TH, ["dh"] = Viseme.TH,
        ["t"] = Viseme.DD, ["d"] = Viseme.DD, ["dx"] = Viseme.DD,
        ["k"] = Viseme.KK, ["g"] = Viseme.KK, ["ng"] = Viseme.KK, ["hh"] = Viseme.KK,
        ["ch"] = Viseme.CH, ["jh"] = Viseme.CH, ["sh"] = Viseme.CH, ["zh"] = Viseme.CH,
        ["s"] = Viseme.SS, ["z"] = Viseme.SS,
        ["n"] = Viseme.NN, ["en"] = Viseme.NN, ["l"] = Viseme.NN, ["el"] = Viseme.NN,
        ["r"] = Viseme.RR,
        ["w"] = Viseme.U, ["y"] = Viseme.I,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every CMU phone the table knows.</summary>
    public static IEnumerable<string> CmuPhones => Cmu.Keys;

    /// <summary>
    /// The viseme for a CMU phone as Flite's Segment relation names it (<c>hh</c>, <c>ax</c>, <c>pau</c>); stress
    /// digits are ignored; an unknown name is silence.
    /// </summary>
    public static Viseme MapCmu(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var name = phone.TrimEnd('0', '1', '2');
        return Cmu.TryGetValue(name, out var viseme) ? viseme : Viseme.Silence;
    }
}
