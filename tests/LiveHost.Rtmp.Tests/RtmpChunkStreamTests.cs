using Xunit;

namespace LiveHost.Rtmp.Tests;

/// <summary>The chunk writer against the chunk reader, by hand-computed bytes, and the reader under fuzzing.</summary>
public sealed class RtmpChunkStreamTests
{
    private static List<RtmpMessage> ReadAll(RtmpChunkReader reader, ReadOnlySpan<byte> input, out int chunks)
    {
        var messages = new List<RtmpMessage>();
        chunks = 0;
        while (!input.IsEmpty)
        {
            var status = reader.TryRead(input, out var message, out var consumed);
            Assert.NotEqual(RtmpReadStatus.Invalid, status);
            if (status == RtmpReadStatus.NeedMoreData) break;
            chunks++;
            input = input[consumed..];
            if (message is not null) messages.Add(message);
        }
        Assert.True(input.IsEmpty, "bytes were left over");
        return messages;
    }

    [Fact]
    public void First_message_is_fmt0_next_is_fmt1_delta_and_continuations_are_fmt3()
    {
        var writer = new RtmpChunkWriter { ChunkSize = 4 };
        var output = new PooledBufferWriter(256);
        writer.WriteMessage(output, 6, RtmpMessageType.Video, 1, 1000, [0xA0, 0xA1], [0xB0, 0xB1, 0xB2, 0xB3]);
        writer.WriteMessage(output, 6, RtmpMessageType.Video, 1, 1040, default, [0xC0]);
        Assert.Equal(
            new byte[]
            {
                0x06, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x06, 0x09, 0x01, 0x00, 0x00, 0x00, 0xA0, 0xA1, 0xB0, 0xB1,
                0xC6, 0xB2, 0xB3,
                0x46, 0x00, 0x00, 0x28, 0x00, 0x00, 0x01, 0x09, 0xC0,
            },
            output.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_timestamp_going_backwards_gets_a_new_fmt0_header()
    {
        var writer = new RtmpChunkWriter();
        var output = new PooledBufferWriter(256);
        writer.WriteMessage(output, 4, RtmpMessageType.Audio, 1, 500, default, [1]);
        output.Clear();
        writer.WriteMessage(output, 4, RtmpMessageType.Audio, 1, 400, default, [2]);
        Assert.Equal(0, output.WrittenSpan[0] >> 6);
    }

    [Fact]
    public void Reader_reassembles_what_the_writer_chunked_including_extended_timestamps()
    {
        var writer = new RtmpChunkWriter { ChunkSize = 100 };
        var output = new PooledBufferWriter(64 * 1024);
        var random = new Random(7);
        var sent = new List<(byte Type, uint Timestamp, byte[] Body)>();
        uint timestamp = 0xFFFF00;
        for (var i = 0; i < 50; i++)
        {
            var body = new byte[random.Next(0, 450)];
            random.NextBytes(body);
            var type = i % 2 == 0 ? RtmpMessageType.Video : RtmpMessageType.Audio;
            timestamp += (uint)random.Next(0, 100);
            writer.WriteMessage(output, type == RtmpMessageType.Video ? 6 : 4, type, 1, timestamp, default, body);
            sent.Add((type, timestamp, body));
        }
        var reader = new RtmpChunkReader();
        Assert.True(reader.TrySetChunkSize(100));
        var received = ReadAll(reader, output.WrittenSpan, out var chunks);
        Assert.True(chunks > 50);
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].Type, received[i].TypeId);
            Assert.Equal(sent[i].Timestamp, received[i].Timestamp);
            Assert.Equal(1u, received[i].StreamId);
            Assert.Equal(sent[i].Body, received[i].Payload);
        }
    }

    [Fact]
    public void Reader_waits_for_a_whole_chunk_without_consuming_anything()
    {
        var writer = new RtmpChunkWriter();
        var output = new PooledBufferWriter(256);
        writer.WriteMessage(output, 3, RtmpMessageType.CommandAmf0, 0, 0, default, new byte[50]);
        var reader = new RtmpChunkReader();
        for (var length = 0; length < output.WrittenCount; length++)
        {
            Assert.Equal(RtmpReadStatus.NeedMoreData, reader.TryRead(output.WrittenSpan[..length], out _, out var consumed));
            Assert.Equal(0, consumed);
        }
        Assert.Equal(RtmpReadStatus.Message, reader.TryRead(output.WrittenSpan, out var message, out _));
        Assert.Equal(50, message!.Payload.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x43, 0, 0, 0, 0, 0, 1, 20, 0 })] // fmt 1 on a chunk stream never opened
    [InlineData(new byte[] { 0x03, 0, 0, 0, 0x7F, 0xFF, 0xFF, 20, 0, 0, 0, 0 })] // 8 MiB message: over the limit
    public void Reader_refuses_protocol_violations(byte[] input)
    {
        Assert.Equal(RtmpReadStatus.Invalid, new RtmpChunkReader().TryRead(input, out _, out _));
    }

    [Fact]
    public void Fuzz_random_and_mutated_chunk_streams_never_throw()
    {
        var random = new Random(45438);
        var seedWriter = new RtmpChunkWriter();
        var seedOutput = new PooledBufferWriter(4096);
        seedWriter.WriteMessage(seedOutput, 2, RtmpMessageType.SetChunkSize, 0, 0, default, [0, 0, 0x10, 0]);
        seedWriter.WriteMessage(seedOutput, 3, RtmpMessageType.CommandAmf0, 0, 0, default, Amf0ReaderTests.ConnectResult());
        seedWriter.WriteMessage(seedOutput, 3, RtmpMessageType.CommandAmf0, 0, 0x1000000, default, Amf0ReaderTests.ConnectResult());
        var seed = seedOutput.WrittenSpan.ToArray();
        var messages = 0;
        for (var i = 0; i < 12_000; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = Amf0ReaderTests.Mutate(seed, random);
            }
            var reader = new RtmpChunkReader(maxMessageLength: 64 * 1024);
            ReadOnlySpan<byte> rest = input;
            for (var guard = 0; guard < 10_000; guard++)
            {
                var status = reader.TryRead(rest, out var message, out var consumed);
                Assert.InRange(consumed, 0, rest.Length);
                if (status is RtmpReadStatus.NeedMoreData or RtmpReadStatus.Invalid) break;
                Assert.True(consumed > 0, "a consumed chunk must consume bytes");
                rest = rest[consumed..];
                if (message is null) continue;
                messages++;
                // What the client does with each message must be safe too.
                if (message.TypeId == RtmpMessageType.SetChunkSize && message.Payload.Length >= 4)
                {
                    reader.TrySetChunkSize(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(message.Payload) & 0x7FFFFFFF);
                }
                Amf0Reader.TryReadAll(message.Payload, []);
            }
        }
        Assert.True(messages > 1000, $"only {messages} messages decoded; the mutations never reached the message path");
    }
}
