using System.Buffers;

namespace LiveHost.Rtmp;

/// <summary>
/// AMF0 bodies of the commands a publisher sends (RTMP 1.0 section 7.2, plus the releaseStream / FCPublish pair
/// that FMLE introduced and CDNs still expect).
/// </summary>
public static class RtmpCommandWriter
{
    public static void WriteConnect(IBufferWriter<byte> writer, double transactionId, RtmpUrl url)
    {
        Amf0Writer.WriteString(writer, "connect");
        Amf0Writer.WriteNumber(writer, transactionId);
        Amf0Writer.WriteObjectStart(writer);
        Amf0Writer.WriteProperty(writer, "app", url.App);
        Amf0Writer.WriteProperty(writer, "type", "nonprivate");
        Amf0Writer.WriteProperty(writer, "flashVer", "FMLE/3.0 (compatible; LiveHost)");
        Amf0Writer.WriteProperty(writer, "tcUrl", url.TcUrl);
        Amf0Writer.WriteObjectEnd(writer);
    }

    /// <summary>releaseStream, FCPublish and similar: name, transaction id, null, one string argument.</summary>
    public static void WriteStreamCommand(IBufferWriter<byte> writer, string name, double transactionId, string streamKey)
    {
        Amf0Writer.WriteString(writer, name);
        Amf0Writer.WriteNumber(writer, transactionId);
        Amf0Writer.WriteNull(writer);
        Amf0Writer.WriteString(writer, streamKey);
    }

    public static void WriteCreateStream(IBufferWriter<byte> writer, double transactionId)
    {
        Amf0Writer.WriteString(writer, "createStream");
        Amf0Writer.WriteNumber(writer, transactionId);
        Amf0Writer.WriteNull(writer);
    }

    public static void WritePublish(IBufferWriter<byte> writer, double transactionId, string streamKey)
    {
        Amf0Writer.WriteString(writer, "publish");
        Amf0Writer.WriteNumber(writer, transactionId);
        Amf0Writer.WriteNull(writer);
        Amf0Writer.WriteString(writer, streamKey);
        Amf0Writer.WriteString(writer, "live");
    }

    public static void WriteDeleteStream(IBufferWriter<byte> writer, double transactionId, uint streamId)
    {
        Amf0Writer.WriteString(writer, "deleteStream");
        Amf0Writer.WriteNumber(writer, transactionId);
        Amf0Writer.WriteNull(writer);
        Amf0Writer.WriteNumber(writer, streamId);
    }
}
