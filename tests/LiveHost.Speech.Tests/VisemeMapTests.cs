using LiveHost.Speech;

namespace LiveHost.Speech.Tests;

public sealed class VisemeMapTests
{
    [Theory]
    // English vowels by openness and rounding.
    [InlineData("a", Viseme.AA)] [InlineData("A:", Viseme.AA)] [InlineData("aa", Viseme.AA)] [InlineData("V", Viseme.AA)]
    [InlineData("aI", Viseme.AA)] [InlineData("aU", Viseme.AA)] [InlineData("a#", Viseme.AA)]
    [InlineData("e", Viseme.E)] [InlineData("E", Viseme.E)] [InlineData("eI", Viseme.E)] [InlineData("@", Viseme.E)] [InlineData("3:", Viseme.E)]
    [InlineData("i", Viseme.I)] [InlineData("i:", Viseme.I)] [InlineData("I", Viseme.I)] [InlineData("I2", Viseme.I)]
    [InlineData("o", Viseme.O)] [InlineData("O:", Viseme.O)] [InlineData("0", Viseme.O)] [InlineData("oU", Viseme.O)] [InlineData("OI", Viseme.O)]
    [InlineData("u", Viseme.U)] [InlineData("u:", Viseme.U)] [InlineData("U", Viseme.U)] [InlineData("w", Viseme.U)]
    // English consonants.
    [InlineData("p", Viseme.PP)] [InlineData("b", Viseme.PP)] [InlineData("m", Viseme.PP)]
    [InlineData("f", Viseme.FF)] [InlineData("v", Viseme.FF)]
    [InlineData("T", Viseme.TH)] [InlineData("D", Viseme.TH)]
    [InlineData("t", Viseme.DD)] [InlineData("d", Viseme.DD)] [InlineData("t#", Viseme.DD)]
    [InlineData("k", Viseme.KK)] [InlineData("g", Viseme.KK)] [InlineData("N", Viseme.KK)]
    [InlineData("tS", Viseme.CH)] [InlineData("dZ", Viseme.CH)] [InlineData("S", Viseme.CH)] [InlineData("Z", Viseme.CH)]
    [InlineData("s", Viseme.SS)] [InlineData("z", Viseme.SS)]
    [InlineData("n", Viseme.NN)] [InlineData("l", Viseme.NN)] [InlineData("n-", Viseme.NN)]
    [InlineData("r", Viseme.RR)]
    [InlineData("_", Viseme.Silence)] [InlineData("_:", Viseme.Silence)] [InlineData("_|", Viseme.Silence)] [InlineData("", Viseme.Silence)]
    // Mandarin (cmn-latn-pinyin).
    [InlineData("ts.", Viseme.CH)] [InlineData("ts.h", Viseme.CH)] [InlineData("s.", Viseme.CH)] [InlineData("z.", Viseme.CH)]
    [InlineData("tS;", Viseme.CH)] [InlineData("tS;h", Viseme.CH)] [InlineData("S;", Viseme.CH)]
    [InlineData("ts", Viseme.SS)] [InlineData("tsh", Viseme.SS)]
    [InlineData("ph", Viseme.PP)] [InlineData("th", Viseme.DD)] [InlineData("kh", Viseme.KK)] [InlineData("X", Viseme.KK)]
    [InlineData("Au", Viseme.AA)] [InlineData("ai", Viseme.AA)] [InlineData("iA", Viseme.AA)] [InlineData("ua", Viseme.AA)]
    [InlineData("iE", Viseme.E)] [InlineData("uei", Viseme.E)] [InlineData("iou", Viseme.O)] [InlineData("o-", Viseme.O)]
    [InlineData("i.", Viseme.I)] [InlineData("y", Viseme.U)]
    // Stress marks and tone digits do not matter.
    [InlineData("'a", Viseme.AA)] [InlineData(",oU", Viseme.O)] [InlineData("i35", Viseme.I)] [InlineData("a214", Viseme.AA)] [InlineData("'iE51", Viseme.E)]
    public void Phoneme_MapsToViseme(string phoneme, Viseme expected) => Assert.Equal(expected, VisemeMap.Map(phoneme));

    [Theory]
    [InlineData("'3:", "3")]
    [InlineData("a55", "a")]
    [InlineData("_:", "_")]
    [InlineData("n-", "n")]
    [InlineData("o-", "o-")]
    [InlineData("ts.", "ts.")]
    [InlineData("tS;", "tS;")]
    public void Normalize_RemovesStressToneAndLength(string phoneme, string expected) => Assert.Equal(expected, VisemeMap.Normalize(phoneme));

    [Theory]
    [InlineData("bh", Viseme.PP)]
    [InlineData("vv", Viseme.FF)]
    [InlineData("Dh", Viseme.TH)]
    [InlineData("dd", Viseme.DD)]
    [InlineData("gg", Viseme.KK)]
    [InlineData("Zh", Viseme.CH)]
    [InlineData("sy", Viseme.SS)]
    [InlineData("ll", Viseme.NN)]
    [InlineData("rr", Viseme.RR)]
    [InlineData("aeo", Viseme.AA)]
    [InlineData("ooi", Viseme.O)]
    [InlineData("*", Viseme.Silence)]
    public void UnknownPhoneme_FallsBackByItsLetters(string phoneme, Viseme expected)
    {
        Assert.False(VisemeMap.TryMapKnown(phoneme, out _));
        Assert.Equal(expected, VisemeMap.Map(phoneme));
    }

    [Fact]
    public void RandomNames_NeverThrow()
    {
        var random = new Random(7);
        const string alphabet = "aAeEiIoOuU@30VpbmfvTDtdkgNszSZnlrwjhxX_:;.'\",-#!?*1234567";
        for (var n = 0; n < 5000; n++)
        {
            var name = new string(Enumerable.Range(0, random.Next(0, 9)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var viseme = VisemeMap.Map(name);
            Assert.True(Enum.IsDefined(viseme));
        }
    }
}
