namespace LiveHost.Rtmp;

#pragma warning disable CA1720 // the names are the AMF0 spec's own
/// <summary>AMF0 type markers (Adobe "Action Message Format -- AMF 0", section 2.1).</summary>
public enum Amf0Type : byte
{
    Number = 0x00,
    Boolean = 0x01,
    String = 0x02,
    Object = 0x03,
    Null = 0x05,
    Undefined = 0x06,
    EcmaArray = 0x08,
    ObjectEnd = 0x09,
    StrictArray = 0x0A,
    Date = 0x0B,
    LongString = 0x0C,
}
