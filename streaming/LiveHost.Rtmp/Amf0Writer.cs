using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LiveHost.Rtmp;

/// <summary>
/// Writes AMF0 values. Span overloads return the bytes written and throw when the destination is too small;
/// <see cref="IBufferWriter{T}"/> overloads size the span themselves. Strings longer than 65 535 UTF-8 bytes
/// become long strings (marker 0x0C, 32-bit length), as the spec requires.
/// </summary>
public static class Amf0Writer
{
    /// <summary>The three bytes that close an object or ECMA array: an empty name (00 00) and the end marker 09.</summary>
    public const int ObjectEndSize = 3;

    public static int GetStringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return length > ushort.MaxValue ? 5 + length : 3 + length;
    }

    /// <summary>Size of a property name inside an object (no marker, 16-bit length).</summary>
    public static int GetPropertyNameSize(string name) => 2 + Encoding.UTF8.GetByteCount(name);

    public static int WriteNumber(Span<byte> destination, double value)
    {
        destination[..9][0] = (byte)Amf0Type.Number;
        BinaryPrimitives.WriteDoubleBigEndian(destination[1..], value);
        return 9;
    }

    public static int WriteBoolean(Span<byte> destination, bool value)
    {
        destination[..2][0] = (byte)Amf0Type.Boolean;
        destination[1] = value ? (byte)1 : (byte)0;
        return 2;
    }

    public static int WriteNull(Span<byte> destination)
    {
        destination[0] = (byte)Amf0Type.Null;
        return 1;
    }

    public static int WriteString(Span<byte> destination, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            destination[..(5 + length)][0] = (byte)Amf0Type.LongString;
            BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
            Encoding.UTF8.GetBytes(value, destination[5..]);
            return 5 + length;
        }
        destination[..(3 + length)][0] = (byte)Amf0Type.String;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)length);
        Encoding.UTF8.GetBytes(value, destination[3..]);
        return 3 + length;
    }

    /// <summary>A property name inside an object or ECMA array; names have no marker and at most 65 535 bytes.</summary>
    public static int WritePropertyName(Span<byte> destination, string name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        if (length > ushort.MaxValue) throw new ArgumentException("AMF0 property names are limited to 65535 bytes", nameof(name));
        destination[..(2 + length)].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
        Encoding.UTF8.GetBytes(name, destination[2..]);
        return 2 + length;
    }

    public static int WriteObjectStart(Span<byte> destination)
    {
        destination[0] = (byte)Amf0Type.Object;
        return 1;
    }

    /// <param name="count">The associative count; readers treat it as a hint, the end marker is authoritative.</param>
    public static int WriteEcmaArrayStart(Span<byte> destination, uint count)
    {
        destination[..5][0] = (byte)Amf0Type.EcmaArray;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], count);
        return 5;
    }

    public static int WriteObjectEnd(Span<byte> destination)
    {
        destination[..3][0] = 0;
        destination[1] = 0;
        destination[2] = (byte)Amf0Type.ObjectEnd;
        return ObjectEndSize;
    }

    public static void WriteNumber(IBufferWriter<byte> writer, double value) => writer.Advance(WriteNumber(writer.GetSpan(9), value));

    public static void WriteBoolean(IBufferWriter<byte> writer, bool value) => writer.Advance(WriteBoolean(writer.GetSpan(2), value));

    public static void WriteNull(IBufferWriter<byte> writer) => writer.Advance(WriteNull(writer.GetSpan(1)));

    public static void WriteString(IBufferWriter<byte> writer, string value) =>
        writer.Advance(WriteString(writer.GetSpan(GetStringSize(value)), value));

    public static void WritePropertyName(IBufferWriter<byte> writer, string name) =>
        writer.Advance(WritePropertyName(writer.GetSpan(GetPropertyNameSize(name)), name));

    public static void WriteObjectStart(IBufferWriter<byte> writer) => writer.Advance(WriteObjectStart(writer.GetSpan(1)));

    public static void WriteEcmaArrayStart(IBufferWriter<byte> writer, uint count) =>
        writer.Advance(WriteEcmaArrayStart(writer.GetSpan(5), count));

    public static void WriteObjectEnd(IBufferWriter<byte> writer) => writer.Advance(WriteObjectEnd(writer.GetSpan(ObjectEndSize)));

    public static void WriteProperty(IBufferWriter<byte> writer, string name, double value)
    {
        WritePropertyName(writer, name);
        WriteNumber(writer, value);
    }

    public static void WriteProperty(IBufferWriter<byte> writer, string name, bool value)
    {
        WritePropertyName(writer, name);
        WriteBoolean(writer, value);
    }

    public static void WriteProperty(IBufferWriter<byte> writer, string name, string value)
    {
        WritePropertyName(writer, name);
        WriteString(writer, value);
    }
}
