using System.Buffers;
using System.Text.Json;
using LiveHost.Media;
using Xunit;

namespace LiveHost.Rtmp.Tests;

public sealed class FlvPayloadTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x0D, 0xAA];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    [Fact]
    public void Avc_sequence_header_is_keyframe_codec_7_packet_type_0_then_the_record()
    {
        var record = LiveHost.TestSupport.SyntheticStream.BuildDecoderConfigurationRecord(Sps, Pps);
        Assert.Equal(new byte[] { 1, 0x42, 0xC0, 0x0D, 0xFF, 0xE1, 0, 5, 0x67, 0x42, 0xC0, 0x0D, 0xAA, 1, 0, 4, 0x68, 0xCE, 0x3C, 0x80 }, record);
        var writer = new ArrayBufferWriter<byte>();
        FlvVideoPayload.WriteSequenceHeader(writer, new H264Config(Sps, Pps, record, 320, 240));
        byte[] expected = [0x17, 0x00, 0, 0, 0, .. record];
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Avc_nalu_packet_marks_key_and_inter_frames_and_keeps_avcc_data()
    {
        byte[] avcc = [0, 0, 0, 2, 0x65, 0x88];
        var writer = new ArrayBufferWriter<byte>();
        FlvVideoPayload.WriteNaluPacket(writer, true, avcc);
        FlvVideoPayload.WriteNaluPacket(writer, false, avcc);
        byte[] expected = [0x17, 0x01, 0, 0, 0, .. avcc, 0x27, 0x01, 0, 0, 0, .. avcc];
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Aac_packets_are_format_10_rate_3_size_1_type_1_with_packet_type_0_or_1()
    {
        var writer = new ArrayBufferWriter<byte>();
        FlvAudioPayload.WriteSequenceHeader(writer, new AacConfig([0x11, 0x88], 48_000, 1));
        FlvAudioPayload.WriteRawPacket(writer, [0x21, 0x10]);
        Assert.Equal(new byte[] { 0xAF, 0x00, 0x11, 0x88, 0xAF, 0x01, 0x21, 0x10 }, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Metadata_is_set_data_frame_on_meta_data_with_codec_ids_size_rate_and_aigc_json()
    {
        var writer = new ArrayBufferWriter<byte>();
        var label = AigcLabel.ForNewProduction("Studio 9");
        FlvMetadata.Write(writer, new H264Config(Sps, Pps, [1], 640, 360), new AacConfig([0x11, 0x88], 48_000, 1), 25, label);
        var values = new List<Amf0Value>();
        Assert.True(Amf0Reader.TryReadAll(writer.WrittenSpan, values));
        Assert.Equal(["@setDataFrame", "onMetaData"], values.Take(2).Select(v => v.Text));
        var meta = values[2];
        Assert.Equal(Amf0Type.EcmaArray, meta.Type);
        double Number(string name) => meta.Properties.Single(p => p.Key == name).Value.Number;
        Assert.Equal((640, 360, 25, 7, 10, 48_000), (Number("width"), Number("height"), Number("framerate"), Number("videocodecid"), Number("audiocodecid"), Number("audiosamplerate")));
        using var json = JsonDocument.Parse(meta.GetString("AIGC")!);
        Assert.Equal("Studio 9", json.RootElement.GetProperty("ContentProducer").GetString());
        Assert.Equal(label.ProduceId, json.RootElement.GetProperty("ProduceID").GetString());
    }

    [Fact]
    public void Aigc_label_json_has_the_seven_gb45438_keys_in_order_with_label_1()
    {
        var label = AigcLabel.ForNewProduction("LiveHost");
        using var json = JsonDocument.Parse(label.ToJson());
        Assert.Equal(
            ["Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1", json.RootElement.GetProperty("Label").GetString());
        Assert.Equal("", json.RootElement.GetProperty("PropagateID").GetString());
        Assert.Matches("^[0-9a-f]{32}$", label.ProduceId);
        Assert.NotEqual(label.ProduceId, AigcLabel.ForNewProduction("LiveHost").ProduceId);
    }
}
