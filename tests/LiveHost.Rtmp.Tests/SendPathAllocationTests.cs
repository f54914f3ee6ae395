using Xunit;

namespace LiveHost.Rtmp.Tests;

public sealed class SendPathAllocationTests
{
    [Fact]
    public void Chunking_a_frame_into_a_warmed_pooled_buffer_allocates_nothing()
    {
        var writer = new RtmpChunkWriter { ChunkSize = 4096 };
        using var output = new PooledBufferWriter(1024);
        var frame = new byte[60_000]; // about 15 chunks
        var header = new byte[FlvVideoPayload.HeaderSize];
        uint timestamp = 0;
        void SendOne()
        {
            output.Clear();
            FlvVideoPayload.WriteNaluHeader(header, isKeyframe: false);
            writer.WriteMessage(output, 6, RtmpMessageType.Video, 1, timestamp += 40, header, frame);
        }
        SendOne(); // grows the pooled buffer once
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++) SendOne();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(output.WrittenCount > frame.Length);
    }
}
