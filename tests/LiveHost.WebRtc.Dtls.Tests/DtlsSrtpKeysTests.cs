namespace LiveHost.WebRtc.Dtls.Tests;

public sealed class DtlsSrtpKeysTests
{
    [Theory]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1_80, 14)]
    [InlineData(DtlsSrtpProfile.AeadAes128Gcm, 12)]
    public void Exporter_output_is_split_as_rfc5764_lays_it_out(DtlsSrtpProfile profile, int saltLength)
    {
        int length = 2 * (16 + saltLength);
        Assert.Equal(length, DtlsSrtpKeys.ExporterLength(profile));
        byte[] material = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        DtlsSrtpKeys keys = DtlsSrtpKeys.FromExporterOutput(profile, material, 0xC02B, true);

        Assert.Equal(material[0..16], keys.ClientWriteMasterKey);
        Assert.Equal(material[16..32], keys.ServerWriteMasterKey);
        Assert.Equal(material[32..(32 + saltLength)], keys.ClientWriteMasterSalt);
        Assert.Equal(material[(32 + saltLength)..], keys.ServerWriteMasterSalt);
    }

    [Fact]
    public void Wrong_amount_of_keying_material_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DtlsSrtpKeys.FromExporterOutput(DtlsSrtpProfile.AeadAes128Gcm, new byte[60], 0, true));
    }
}
