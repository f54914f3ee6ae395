using LiveHost.Media.Codecs;

namespace LiveHost.Media.Tests.Codecs;

public sealed class AvccNalReaderTests
{
    private static readonly byte[] TwoNals = [0, 0, 0, 2, 0x09, 0xF0, 0, 0, 0, 3, 0x65, 0x88, 0x84];

    [Fact]
    public void EnumeratesEachLengthPrefixedNalUnit()
    {
        var nals = new List<byte[]>();
        var reader = new AvccNalReader(TwoNals);
        foreach (var nal in reader) nals.Add(nal.ToArray());

        Assert.Equal(2, nals.Count);
        Assert.Equal(new byte[] { 0x09, 0xF0 }, nals[0]);
        Assert.Equal(new byte[] { 0x65, 0x88, 0x84 }, nals[1]);
        Assert.Equal(H264NalType.AccessUnitDelimiter, H264Nal.TypeOf(nals[0]));
        Assert.True(H264Nal.IsIdr(nals[1]));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 4, 0x65, 0x88 })] // length runs past the end
    [InlineData(new byte[] { 0, 0, 0, 0, 0x65 })] // empty NAL unit
    [InlineData(new byte[] { 0, 0, 0, 1, 0x65, 0, 0 })] // truncated second length
    public void FlagsAMalformedAccessUnit(byte[] accessUnit)
    {
        var reader = new AvccNalReader(accessUnit);
        while (reader.MoveNext()) { }
        Assert.True(reader.IsMalformed);
        Assert.False(AvccNalReader.TryInspect(accessUnit, out _));
    }

    [Fact]
    public void InspectSummarisesAKeyframeWithParameterSets()
    {
        byte[] au = [0, 0, 0, 2, 0x67, 0x42, 0, 0, 0, 2, 0x68, 0xCE, 0, 0, 0, 2, 0x65, 0x88];
        Assert.True(AvccNalReader.TryInspect(au, out var info));
        Assert.Equal(new AvccAccessUnitInfo(3, HasIdrSlice: true, HasNonIdrSlice: false, HasSps: true, HasPps: true), info);
    }

    [Fact]
    public void InspectRejectsTheForbiddenBit()
    {
        Assert.False(AvccNalReader.TryInspect([0, 0, 0, 2, 0xE5, 0x88], out _));
    }

    [Fact]
    public void ReadsTwoByteLengths()
    {
        var reader = new AvccNalReader([0, 2, 0x41, 0x9A, 0, 1, 0x06], lengthSize: 2);
        Assert.True(reader.MoveNext());
        Assert.Equal(H264NalType.NonIdrSlice, H264Nal.TypeOf(reader.Current));
        Assert.True(reader.MoveNext());
        Assert.Equal(H264NalType.Sei, H264Nal.TypeOf(reader.Current));
        Assert.False(reader.MoveNext());
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void NalHeaderHelpersReadTypeAndRefIdc()
    {
        Assert.True(H264Nal.IsSps([0x67]));
        Assert.True(H264Nal.IsPps([0x68]));
        Assert.False(H264Nal.IsIdr([0x41]));
        Assert.Equal(3, H264Nal.RefIdc(0x65));
        Assert.Equal(0, H264Nal.RefIdc(0x06));
        Assert.Equal(H264NalType.Unspecified, H264Nal.TypeOf(ReadOnlySpan<byte>.Empty));
    }
}
