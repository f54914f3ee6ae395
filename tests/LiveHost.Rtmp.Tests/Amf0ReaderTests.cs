using System.Buffers;
using Xunit;

namespace LiveHost.Rtmp.Tests;

public sealed class Amf0ReaderTests
{
    /// <summary>A _result for connect as nginx-rtmp sends it: name, transaction id, properties, information.</summary>
    internal static byte[] ConnectResult()
    {
        var writer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteString(writer, "_result");
        Amf0Writer.WriteNumber(writer, 1);
        Amf0Writer.WriteObjectStart(writer);
        Amf0Writer.WriteProperty(writer, "fmsVer", "FMS/3,0,1,123");
        Amf0Writer.WriteProperty(writer, "capabilities", 31);
        Amf0Writer.WriteObjectEnd(writer);
        Amf0Writer.WriteObjectStart(writer);
        Amf0Writer.WriteProperty(writer, "level", "status");
        Amf0Writer.WriteProperty(writer, "code", "NetConnection.Connect.Success");
        Amf0Writer.WriteProperty(writer, "description", "Connection succeeded.");
        Amf0Writer.WriteProperty(writer, "objectEncoding", 0);
        Amf0Writer.WriteObjectEnd(writer);
        Amf0Writer.WriteNull(writer);
        Amf0Writer.WriteEcmaArrayStart(writer, 2);
        Amf0Writer.WriteProperty(writer, "width", 320);
        Amf0Writer.WriteProperty(writer, "stereo", false);
        Amf0Writer.WriteObjectEnd(writer);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Reads_back_a_connect_result_with_nested_objects()
    {
        var values = new List<Amf0Value>();
        Assert.True(Amf0Reader.TryReadAll(ConnectResult(), values));
        Assert.Equal(6, values.Count);
        Assert.Equal("_result", values[0].Text);
        Assert.Equal(1, values[1].Number);
        Assert.Equal(31, values[2].Properties.Single(p => p.Key == "capabilities").Value.Number);
        Assert.Equal("NetConnection.Connect.Success", values[3].GetString("code"));
        Assert.Equal(Amf0Type.Null, values[4].Type);
        Assert.Equal(Amf0Type.EcmaArray, values[5].Type);
        Assert.Equal(320, values[5].Properties[0].Value.Number);
        Assert.False(values[5].Properties[1].Value.Boolean);
    }

    [Fact]
    public void Reads_strict_array_date_undefined_and_long_string()
    {
        byte[] input =
        [
            0x0A, 0, 0, 0, 2, 0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x06,
            0x0B, 0x40, 0x59, 0, 0, 0, 0, 0, 0, 0x00, 0x00,
            0x0C, 0, 0, 0, 2, (byte)'h', (byte)'i',
        ];
        var values = new List<Amf0Value>();
        Assert.True(Amf0Reader.TryReadAll(input, values));
        Assert.Equal(2, values[0].Items.Count);
        Assert.Equal(1, values[0].Items[0].Number);
        Assert.Equal(Amf0Type.Undefined, values[0].Items[1].Type);
        Assert.Equal(Amf0Type.Date, values[1].Type);
        Assert.Equal(100, values[1].Number);
        Assert.Equal("hi", values[2].Text);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x3F, 0xF0 })] // truncated number
    [InlineData(new byte[] { 0x02, 0x00, 0x05, (byte)'a' })] // string shorter than its length
    [InlineData(new byte[] { 0x03, 0x00, 0x01, (byte)'a', 0x05 })] // object without end marker
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x05 })] // strict array claiming 4 billion items
    [InlineData(new byte[] { 0x0D })] // unsupported marker (unsupported type)
    [InlineData(new byte[] { 0x09 })] // object end outside an object
    public void Malformed_input_is_refused(byte[] input)
    {
        Assert.False(Amf0Reader.TryReadValue(input, out _, out _));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_without_stack_overflow()
    {
        var input = new List<byte>();
        for (var i = 0; i < 100_000; i++) input.AddRange([0x03, 0x00, 0x01, (byte)'a']);
        Assert.False(Amf0Reader.TryReadValue(input.ToArray(), out _, out _));
    }

    [Fact]
    public void Fuzz_random_and_mutated_inputs_never_throw_and_consume_within_bounds()
    {
        var random = new Random(4538);
        var seed = ConnectResult();
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 64)];
                random.NextBytes(input);
                if (input.Length > 0) input[0] = (byte)random.Next(0, 0x0E); // mostly valid markers, to get past the first byte
            }
            else
            {
                input = Mutate(seed, random);
            }
            var values = new List<Amf0Value>();
            if (Amf0Reader.TryReadAll(input, values)) accepted++;
            if (Amf0Reader.TryReadValue(input, out var value, out var consumed))
            {
                Assert.InRange(consumed, 1, input.Length);
                _ = value.ToString();
            }
        }
        // Mutations that hit only payload bytes still parse: the fuzzer exercised the success path too.
        Assert.InRange(accepted, 1, 19_999);
    }

    internal static byte[] Mutate(byte[] seed, Random random)
    {
        var input = seed.ToArray();
        switch (random.Next(4))
        {
            case 0:
                for (var flips = random.Next(1, 4); flips > 0; flips--) input[random.Next(input.Length)] = (byte)random.Next(256);
                return input;
            case 1:
                return input[..random.Next(input.Length)];
            case 2:
                var insert = random.Next(input.Length);
                return [.. input[..insert], (byte)random.Next(256), .. input[insert..]];
            default:
                var a = random.Next(input.Length);
                var b = random.Next(input.Length);
                (input[a], input[b]) = (input[b], input[a]);
                return input;
        }
    }
}
