using LiveHost.Media.Codecs;

namespace LiveHost.Media.Tests.Codecs;

public sealed class AvcDecoderConfigurationTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x15, 0xDA, 0x05, 0x07, 0xC4];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    [Fact]
    public void A_built_record_carries_profile_level_and_both_parameter_sets_with_four_byte_lengths()
    {
        var record = AvcDecoderConfiguration.Build(Sps, Pps);
        Assert.Equal(new byte[] { 1, 0x42, 0xC0, 0x15, 0xFF, 0xE1, 0, 8 }, record[..8]);
        Assert.True(AvcDecoderConfiguration.TryParse(record, out var parsed));
        Assert.Equal(4, parsed!.NalLengthSize);
        Assert.Equal(Sps, parsed.Sps);
        Assert.Equal(Pps, parsed.Pps);
        Assert.Equal(11 + Sps.Length + Pps.Length, record.Length);
    }

    [Fact]
    public void Parameter_sets_of_the_wrong_type_are_refused()
    {
        Assert.Throws<ArgumentException>(() => AvcDecoderConfiguration.Build(Pps, Pps));
        Assert.Throws<ArgumentException>(() => AvcDecoderConfiguration.Build(Sps, Sps));
    }
}
