using LiveHost.Inference.Audio;

namespace LiveHost.Inference.Tests.Audio;

public sealed class MixedRadixFftTests
{
    [Theory]
    [InlineData(800)]
    [InlineData(60)]
    [InlineData(16)]
    [InlineData(2)]
    [InlineData(1)]
    public void Forward_matches_a_naive_dft(int n)
    {
        var rng = new Random(n);
        var re = new double[n];
        var im = new double[n];
        for (var i = 0; i < n; i++) { re[i] = rng.NextDouble() - 0.5; im[i] = rng.NextDouble() - 0.5; }
        var expectedRe = new double[n];
        var expectedIm = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var t = 0; t < n; t++)
            {
                var a = -2 * Math.PI * k * t / n;
                expectedRe[k] += (re[t] * Math.Cos(a)) - (im[t] * Math.Sin(a));
                expectedIm[k] += (re[t] * Math.Sin(a)) + (im[t] * Math.Cos(a));
            }
        }

        new MixedRadixFft(n).Forward(re, im);

        for (var k = 0; k < n; k++)
        {
            Assert.Equal(expectedRe[k], re[k], 1e-9);
            Assert.Equal(expectedIm[k], im[k], 1e-9);
        }
    }

    [Fact]
    public void Sizes_with_other_prime_factors_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MixedRadixFft(14));
    }
}
