using System.Buffers;
using LiveHost.Media;

namespace LiveHost.Rtmp;

/// <summary>
/// The script-data message a publisher sends before media: "@setDataFrame", "onMetaData", then an ECMA array.
/// Servers store it and hand it (without "@setDataFrame") to every player as onMetaData. Besides the usual
/// fields it carries <c>AIGC</c>: the GB 45438-2025 implicit label as a JSON string (see <see cref="AigcLabel"/>).
/// </summary>
public static class FlvMetadata
{
    public const string AigcField = "AIGC";

    public static void Write(IBufferWriter<byte> writer, H264Config video, AacConfig audio, double framesPerSecond, AigcLabel label)
    {
        Amf0Writer.WriteString(writer, "@setDataFrame");
        Amf0Writer.WriteString(writer, "onMetaData");
        Amf0Writer.WriteEcmaArrayStart(writer, 10);
        Amf0Writer.WriteProperty(writer, "width", video.Width);
        Amf0Writer.WriteProperty(writer, "height", video.Height);
        Amf0Writer.WriteProperty(writer, "framerate", framesPerSecond);
        Amf0Writer.WriteProperty(writer, "videocodecid", FlvVideoPayload.CodecIdAvc);
        Amf0Writer.WriteProperty(writer, "audiocodecid", FlvAudioPayload.CodecIdAac);
        Amf0Writer.WriteProperty(writer, "audiosamplerate", audio.SampleRate);
        Amf0Writer.WriteProperty(writer, "audiochannels", audio.Channels);
        Amf0Writer.WriteProperty(writer, "stereo", audio.Channels > 1);
        Amf0Writer.WriteProperty(writer, "encoder", "LiveHost");
        Amf0Writer.WriteProperty(writer, AigcField, label.ToJson());
        Amf0Writer.WriteObjectEnd(writer);
    }
}
