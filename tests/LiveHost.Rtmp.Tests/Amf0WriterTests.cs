using System.Buffers;
using Xunit;

namespace LiveHost.Rtmp.Tests;

/// <summary>Byte layouts from the AMF0 specification (section 2), computed by hand.</summary>
public sealed class Amf0WriterTests
{
    [Fact]
    public void Number_is_marker_0_then_big_endian_ieee754_double()
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteNumber(writer, 1.0);
        Amf0Writer.WriteNumber(writer, -2.5);
        // 1.0 = 0x3FF0000000000000; -2.5 = 0xC004000000000000
        Assert.Equal(
            new byte[] { 0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x00, 0xC0, 0x04, 0, 0, 0, 0, 0, 0 },
            writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Boolean_is_marker_1_then_one_byte()
    {
        var buffer = new byte[4];
        var written = Amf0Writer.WriteBoolean(buffer, true);
        written += Amf0Writer.WriteBoolean(buffer.AsSpan(written), false);
        Assert.Equal(new byte[] { 0x01, 0x01, 0x01, 0x00 }, buffer[..written]);
    }

    [Fact]
    public void String_is_marker_2_then_16_bit_length_then_utf8()
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteString(writer, "connect");
        Amf0Writer.WriteString(writer, "生");
        Assert.Equal(
            new byte[] { 0x02, 0x00, 0x07, (byte)'c', (byte)'o', (byte)'n', (byte)'n', (byte)'e', (byte)'c', (byte)'t', 0x02, 0x00, 0x03, 0xE7, 0x94, 0x9F },
            writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void String_over_65535_bytes_becomes_long_string_with_32_bit_length()
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteString(writer, new string('a', 70_000));
        var bytes = writer.WrittenSpan;
        Assert.Equal(5 + 70_000, bytes.Length);
        Assert.Equal(new byte[] { 0x0C, 0x00, 0x01, 0x11, 0x70 }, bytes[..5].ToArray()); // 70000 = 0x00011170
        Assert.Equal((byte)'a', bytes[^1]);
    }

    [Fact]
    public void Null_is_marker_5()
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteNull(writer);
        Assert.Equal(new byte[] { 0x05 }, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Object_is_marker_3_then_named_values_then_empty_name_and_end_marker_9()
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteObjectStart(writer);
        Amf0Writer.WriteProperty(writer, "app", "live");
        Amf0Writer.WriteProperty(writer, "x", true);
        Amf0Writer.WriteObjectEnd(writer);
        Assert.Equal(
            new byte[]
            {
                0x03,
                0x00, 0x03, (byte)'a', (byte)'p', (byte)'p', 0x02, 0x00, 0x04, (byte)'l', (byte)'i', (byte)'v', (byte)'e',
                0x00, 0x01, (byte)'x', 0x01, 0x01,
                0x00, 0x00, 0x09,
            },
            writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Ecma_array_is_marker_8_then_32_bit_count_then_properties_and_end()
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteEcmaArrayStart(writer, 1);
        Amf0Writer.WriteProperty(writer, "w", 320);
        Amf0Writer.WriteObjectEnd(writer);
        // 320 = 0x4074000000000000
        Assert.Equal(
            new byte[] { 0x08, 0, 0, 0, 1, 0x00, 0x01, (byte)'w', 0x00, 0x40, 0x74, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x09 },
            writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Span_writer_throws_when_destination_is_too_small()
    {
        Assert.ThrowsAny<ArgumentException>(() => Amf0Writer.WriteNumber(new byte[8], 1));
        Assert.ThrowsAny<ArgumentException>(() => Amf0Writer.WriteString(new byte[4], "abc"));
    }
}
