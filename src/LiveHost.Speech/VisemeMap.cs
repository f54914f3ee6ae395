using System.Collections.Frozen;

namespace LiveHost.Speech;

/// <summary>
/// Maps espeak-ng phoneme mnemonics (its Kirshenbaum-style names, as phoneme events report them) for English and
/// Mandarin to a <see cref="Viseme"/>.
/// </summary>
/// <remarks>
/// Names are normalized first: stress marks (<c>' , "</c>), tone and variant digits (not a leading digit, which
/// is a vowel: <c>0</c>, <c>3</c>), length (<c>:</c>), syllabic
/// (<c>-</c>, <c>=</c>) and variant (<c>#</c>) marks go, so <c>'3:</c> is looked up as <c>3</c>. Mandarin keeps its
/// <c>.</c> (retroflex) and <c>;</c> (palatal) marks, which change the mouth shape. Diphthongs and Mandarin finals
/// take the viseme of their most open vowel, because that is the shape a viewer sees. Names not in the table fall
/// back by their first letter.
/// </remarks>
public static partial class VisemeMap
{
    private static readonly FrozenDictionary<string, Viseme> Table = new Dictionary<string, Viseme>(StringComparer.Ordinal)
    {
        // Pauses.
        ["_"] = Viseme.Silence, ["_|"] = Viseme.Silence, ["_!"] = Viseme.Silence, ["_^_"] = Viseme.Silence, ["?"] = Viseme.Silence,

        // English vowels: open.
        ["a"] = Viseme.AA, ["A"] = Viseme.AA, ["aa"] = Viseme.AA, ["V"] = Viseme.AA, ["aI"] = Viseme.AA, ["aU"] = Viseme.AA,
        ["aI@"] = Viseme.AA, ["aU@"] = Viseme.AA, ["A@"] = Viseme.AA, ["a@"] = Viseme.AA,
        // Mid and central.
        ["e"] = Viseme.E, ["E"] = Viseme.E, ["eI"] = Viseme.E, ["e@"] = Viseme.E, ["@"] = Viseme.E, ["3"] = Viseme.E,
        ["@L"] = Viseme.E, ["3@"] = Viseme.E,
        // Close front.
        ["i"] = Viseme.I, ["I"] = Viseme.I, ["i@"] = Viseme.I, ["I@"] = Viseme.I, ["y"] = Viseme.U,
        // Rounded back.
        ["o"] = Viseme.O, ["O"] = Viseme.O, ["0"] = Viseme.O, ["oU"] = Viseme.O, ["OI"] = Viseme.O, ["O@"] = Viseme.O,
        ["o@"] = Viseme.O, ["0@"] = Viseme.O,
        ["u"] = Viseme.U, ["U"] = Viseme.U, ["U@"] = Viseme.U, ["u@"] = Viseme.U,

        // Consonants.
        ["p"] = Viseme.PP, ["b"] = Viseme.PP, ["m"] = Viseme.PP, ["ph"] = Viseme.PP,
        ["f"] = Viseme.FF, ["v"] = Viseme.FF,
        ["T"] = Viseme.TH, ["D"] = Viseme.TH,
        ["t"] = Viseme.DD, ["d"] = Viseme.DD, ["th"] = Viseme.DD,
        ["k"] = Viseme.KK, ["g"] = Viseme.KK, ["N"] = Viseme.KK, ["kh"] = Viseme.KK, ["x"] = Viseme.KK, ["X"] = Viseme.KK,
        ["h"] = Viseme.KK, ["Q"] = Viseme.KK,
        ["tS"] = Viseme.CH, ["dZ"] = Viseme.CH, ["S"] = Viseme.CH, ["Z"] = Viseme.CH,
        ["s"] = Viseme.SS, ["z"] = Viseme.SS,
        ["n"] = Viseme.NN, ["l"] = Viseme.NN, ["L"] = Viseme.NN,
        ["r"] = Viseme.RR, ["R"] = Viseme.RR, ["r-"] = Viseme.RR,
        ["w"] = Viseme.U, ["j"] = Viseme.I,

        // Mandarin (cmn): retroflex zh/ch/sh/r and palatal j/q/x are all the protruded CH shape.
        ["ts."] = Viseme.CH, ["ts.h"] = Viseme.CH, ["s."] = Viseme.CH, ["z."] = Viseme.CH,
        ["tS;"] = Viseme.CH, ["tS;h"] = Viseme.CH, ["S;"] = Viseme.CH,
        // Dental z/c.
        ["ts"] = Viseme.SS, ["tsh"] = Viseme.SS,
        // Apical vowels (zhi, si) sound and look like a spread close vowel; o- is the mid back vowel of "ge".
        ["i."] = Viseme.I, ["i["] = Viseme.I, ["o-"] = Viseme.O, ["@r"] = Viseme.RR,
        // Finals.
        ["ai"] = Viseme.AA, ["au"] = Viseme.AA, ["Au"] = Viseme.AA, ["ia"] = Viseme.AA, ["iA"] = Viseme.AA, ["ua"] = Viseme.AA,
        ["uai"] = Viseme.AA, ["iau"] = Viseme.AA, ["iAu"] = Viseme.AA,
        ["ei"] = Viseme.E, ["iE"] = Viseme.E, ["ie"] = Viseme.E, ["uei"] = Viseme.E, ["ue"] = Viseme.E, ["yE"] = Viseme.E,
        ["ye"] = Viseme.E, ["ui"] = Viseme.E,
        ["ou"] = Viseme.O, ["iou"] = Viseme.O, ["uo"] = Viseme.O, ["iu"] = Viseme.U,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The viseme for an espeak phoneme mnemonic; unknown names fall back by their first letter.</summary>
    public static Viseme Map(string phoneme)
    {
        var normalized = Normalize(phoneme);
        if (normalized.Length == 0) return Viseme.Silence;
        return Table.TryGetValue(normalized, out var viseme) ? viseme : Fallback(normalized);
    }

    /// <summary>True when the normalized mnemonic is in the table (no fallback was needed).</summary>
    public static bool TryMapKnown(string phoneme, out Viseme viseme)
    {
        viseme = Viseme.Silence;
        var normalized = Normalize(phoneme);
        return normalized.Length > 0 && Table.TryGetValue(normalized, out viseme);
    }

    /// <summary>Removes stress, tone, length, syllabic and variant marks: <c>'3:</c> -> <c>3</c>, <c>a55</c> -> <c>a</c>.</summary>
    public static string Normalize(string phoneme)
    {
        ArgumentNullException.ThrowIfNull(phoneme);
        Span<char> buffer = phoneme.Length <= 64 ? stackalloc char[phoneme.Length] : new char[phoneme.Length];
        var length = 0;
        foreach (var c in phoneme)
        {
            if (c is '\'' or ',' or '"' or '%' or '=' or ':' or '#' or '!' || char.IsWhiteSpace(c)) continue;
            // Digits after a letter are tones or variants (a55, I2); a leading one is a vowel (0 = lot, 3 = nurse).
            if (char.IsDigit(c) && length > 0) continue;
            buffer[length++] = c;
        }
        // A trailing '-' marks a syllabic consonant (n-, l-); Mandarin's o- keeps it, being a different vowel.
        if (length > 1 && buffer[length - 1] == '-' && buffer[0] != 'o') length--;
        // A pause is a pause however long: "_:" and "_!" are "_".
        if (length > 0 && buffer[0] == '_') return length == 1 ? "_" : "_|";
        return length == phoneme.Length ? phoneme : new string(buffer[..length]);
    }

    /// <summary>By first letter: vowels by their openness and rounding, consonants by place of articulation.</summary>
    private static Viseme Fallback(string normalized)
    {
        // Diphthongs and finals not in the table: the most open vowel wins.
        var best = Viseme.Silence;
        var bestRank = 0;
        foreach (var c in normalized)
        {
            var (v, rank) = c switch
            {
                'a' or 'A' or 'V' => (Viseme.AA, 4),
                'e' or 'E' or '@' or '3' => (Viseme.E, 3),
                'o' or 'O' or '0' => (Viseme.O, 2),
                'i' or 'I' => (Viseme.I, 1),
                'u' or 'U' or 'y' or 'Y' => (Viseme.U, 1),
                _ => (Viseme.Silence, 0),
            };
            if (rank > bestRank)
            {
                best = v;
                bestRank = rank;
            }
            // Only a leading run of vowel letters is a vowel; a consonant first means a consonant.
            if (rank == 0) break;
        }
        if (best != Viseme.Silence) return best;

        return normalized[0] switch
        {
            'p' or 'b' or 'm' or 'B' => Viseme.PP,
            'f' or 'v' or 'F' => Viseme.FF,
            'T' or 'D' => Viseme.TH,
            't' or 'd' => Viseme.DD,
            'k' or 'g' or 'N' or 'x' or 'X' or 'h' or 'q' or 'G' or 'Q' or 'c' => Viseme.KK,
            'S' or 'Z' or 'J' or 'C' => Viseme.CH,
            's' or 'z' => Viseme.SS,
            'n' or 'l' or 'L' => Viseme.NN,
            'r' or 'R' => Viseme.RR,
            'w' or 'W' => Viseme.U,
            'j' => Viseme.I,
            _ when char.IsLetter(normalized[0]) => Viseme.E,
            _ => Viseme.Silence,
        };
    }
}
