namespace LiveHost.WebRtc.Dtls.Tests;

public sealed class DtlsRecordHeaderTests
{
    // A ClientHello record header: handshake, DTLS 1.0 record version, epoch 0, sequence 0x0000_0000_0001, 3 bytes.
    private static readonly byte[] Sample = [22, 0xFE, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3, 0xAA, 0xBB, 0xCC];

    [Fact]
    public void Parses_every_field_of_a_plaintext_header()
    {
        Assert.True(DtlsRecordHeader.TryParse(Sample, out DtlsRecordHeader header, out int consumed));
        Assert.Equal(DtlsRecordHeader.Handshake, header.ContentType);
        Assert.Equal(DtlsRecordHeader.Dtls10, header.Version);
        Assert.Equal(0, header.Epoch);
        Assert.Equal(1UL, header.SequenceNumber);
        Assert.Equal(3, header.Length);
        Assert.Equal(16, consumed);
        Assert.Equal(16, header.RecordSize);
    }

    [Fact]
    public void Reads_the_full_48_bit_sequence_number_and_epoch()
    {
        byte[] record = [23, 0xFE, 0xFD, 0x12, 0x34, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0, 0];
        Assert.True(DtlsRecordHeader.TryParse(record, out DtlsRecordHeader header));
        Assert.Equal(0x1234, header.Epoch);
        Assert.Equal(0xABCDEF012345UL, header.SequenceNumber);
        Assert.Equal(DtlsRecordHeader.Dtls12, header.Version);
    }

    [Fact]
    public void WriteTo_and_TryParse_round_trip()
    {
        var header = new DtlsRecordHeader(DtlsRecordHeader.Alert, DtlsRecordHeader.Dtls12, 1, DtlsRecordHeader.MaxSequenceNumber, 2);
        byte[] record = new byte[15];
        Assert.Equal(13, header.WriteTo(record));
        Assert.True(DtlsRecordHeader.TryParse(record, out DtlsRecordHeader parsed, out int consumed));
        Assert.Equal(header, parsed);
        Assert.Equal(15, consumed);
    }

    [Fact]
    public void WriteTo_refuses_a_sequence_number_over_48_bits()
    {
        var header = new DtlsRecordHeader(DtlsRecordHeader.Alert, DtlsRecordHeader.Dtls12, 1, 1UL << 48, 2);
        Assert.Throws<InvalidOperationException>(() => header.WriteTo(new byte[13]));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(0)]
    public void Rejects_fewer_bytes_than_a_header(int length) =>
        Assert.False(DtlsRecordHeader.TryParse(Sample.AsSpan(0, length), out _));

    [Fact]
    public void Rejects_a_length_that_runs_past_the_datagram()
    {
        Assert.False(DtlsRecordHeader.TryParse(Sample.AsSpan(0, 15), out _));
    }

    [Fact]
    public void Rejects_a_length_over_the_protocol_limit()
    {
        byte[] record = new byte[13 + 20_000];
        new DtlsRecordHeader(DtlsRecordHeader.ApplicationData, DtlsRecordHeader.Dtls12, 1, 5, 20_000).WriteTo(record);
        Assert.False(DtlsRecordHeader.TryParse(record, out _));
    }

    [Theory]
    [InlineData(19)]
    [InlineData(25)]
    [InlineData(47)] // DTLS 1.3 unified header (0b001xxxxx)
    [InlineData(0)]
    public void Rejects_other_content_types(byte contentType)
    {
        byte[] record = (byte[])Sample.Clone();
        record[0] = contentType;
        Assert.False(DtlsRecordHeader.TryParse(record, out _));
    }

    [Theory]
    [InlineData(0x03, 0x03)] // TLS 1.2
    [InlineData(0xFE, 0xFC)] // DTLS 1.3 number (never in a record header)
    [InlineData(0xFE, 0xFE)] // no such version
    public void Rejects_other_versions(byte major, byte minor)
    {
        byte[] record = (byte[])Sample.Clone();
        record[1] = major;
        record[2] = minor;
        Assert.False(DtlsRecordHeader.TryParse(record, out _));
    }

    [Fact]
    public void Well_formed_datagram_is_a_chain_of_records_ending_exactly()
    {
        byte[] two = [.. Sample, .. Sample];
        Assert.True(DtlsRecordHeader.IsWellFormedDatagram(two));
        Assert.False(DtlsRecordHeader.IsWellFormedDatagram(two.AsSpan(0, two.Length - 1)));
        Assert.False(DtlsRecordHeader.IsWellFormedDatagram([.. Sample, 22]));
        Assert.False(DtlsRecordHeader.IsWellFormedDatagram([]));
    }

    [Fact]
    public void Ten_thousand_random_and_mutated_datagrams_never_throw_and_stay_within_bounds()
    {
        byte[][] corpus =
        [
            Sample,
            [.. Sample, .. Sample],
            [21, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 2, 1, 0],
            [23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 1, 0, 0, 4, 1, 2, 3, 4],
        ];
        var mutator = new DatagramMutator(seed: 6347, corpus);
        int accepted = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] datagram = mutator.Next();
            if (DtlsRecordHeader.TryParse(datagram, out DtlsRecordHeader header, out int consumed))
            {
                accepted++;
                Assert.InRange(consumed, DtlsRecordHeader.Size, datagram.Length);
                Assert.Equal(DtlsRecordHeader.Size + header.Length, consumed);
                Assert.InRange(header.SequenceNumber, 0UL, DtlsRecordHeader.MaxSequenceNumber);
                byte[] rewritten = new byte[DtlsRecordHeader.Size];
                header.WriteTo(rewritten);
                Assert.Equal(datagram.AsSpan(0, DtlsRecordHeader.Size).ToArray(), rewritten);
            }
            else
            {
                Assert.Equal(0, consumed);
            }

            _ = DtlsRecordHeader.IsWellFormedDatagram(datagram);
        }

        // The corpus is mostly valid, so a fair share of mutants must still parse (the check can fail both ways).
        Assert.InRange(accepted, 500, 9_500);
    }
}
