using System.Buffers.Binary;
using System.Text;

namespace LiveHost.Rtmp;

/// <summary>
/// Reads the AMF0 subset that RTMP servers use in command replies (_result, _error, onStatus) and metadata.
/// Every malformed input, however deep or truncated, yields false; nothing is thrown.
/// </summary>
public static class Amf0Reader
{
    /// <summary>Nesting beyond this is refused, so hostile input cannot exhaust the stack.</summary>
    public const int MaxDepth = 32;

    public static bool TryReadValue(ReadOnlySpan<byte> input, out Amf0Value value, out int consumed) =>
        TryReadValue(input, 0, out value, out consumed);

    /// <summary>Reads values until the input ends; false when any value is malformed or truncated.</summary>
    public static bool TryReadAll(ReadOnlySpan<byte> input, List<Amf0Value> values)
    {
        var offset = 0;
        while (offset < input.Length)
        {
            if (!TryReadValue(input[offset..], out var value, out var consumed)) return false;
            values.Add(value);
            offset += consumed;
        }
        return true;
    }

    private static bool TryReadValue(ReadOnlySpan<byte> input, int depth, out Amf0Value value, out int consumed)
    {
        value = Amf0Value.Null;
        consumed = 0;
        if (input.IsEmpty || depth > MaxDepth) return false;
        var body = input[1..];
        switch ((Amf0Type)input[0])
        {
            case Amf0Type.Number:
                if (body.Length < 8) return false;
                value = Amf0Value.FromNumber(BinaryPrimitives.ReadDoubleBigEndian(body));
                consumed = 9;
                return true;
            case Amf0Type.Boolean:
                if (body.Length < 1) return false;
                value = Amf0Value.FromBoolean(body[0] != 0);
                consumed = 2;
                return true;
            case Amf0Type.String:
            {
                if (!TryReadShortString(body, out var text, out var used)) return false;
                value = Amf0Value.FromString(text);
                consumed = 1 + used;
                return true;
            }
            case Amf0Type.LongString:
            {
                if (body.Length < 4) return false;
                var length = BinaryPrimitives.ReadUInt32BigEndian(body);
                if (length > (uint)(body.Length - 4)) return false;
                value = Amf0Value.FromString(Encoding.UTF8.GetString(body.Slice(4, (int)length)));
                consumed = 5 + (int)length;
                return true;
            }
            case Amf0Type.Null:
                consumed = 1;
                return true;
            case Amf0Type.Undefined:
                value = Amf0Value.Undefined;
                consumed = 1;
                return true;
            case Amf0Type.Object:
            {
                if (!TryReadProperties(body, depth, out var properties, out var used)) return false;
                value = Amf0Value.FromProperties(Amf0Type.Object, properties);
                consumed = 1 + used;
                return true;
            }
            case Amf0Type.EcmaArray:
            {
                // The associative count is only a hint (encoders get it wrong); the end marker decides.
                if (body.Length < 4) return false;
                if (!TryReadProperties(body[4..], depth, out var properties, out var used)) return false;
                value = Amf0Value.FromProperties(Amf0Type.EcmaArray, properties);
                consumed = 5 + used;
                return true;
            }
            case Amf0Type.StrictArray:
            {
                if (body.Length < 4) return false;
                var count = BinaryPrimitives.ReadUInt32BigEndian(body);
                // Every item takes at least one byte, so a larger count cannot be genuine.
                if (count > (uint)(body.Length - 4)) return false;
                var items = new List<Amf0Value>((int)count);
                var offset = 4;
                for (var i = 0; i < count; i++)
                {
                    if (!TryReadValue(body[offset..], depth + 1, out var item, out var used)) return false;
                    items.Add(item);
                    offset += used;
                }
                value = Amf0Value.FromItems(items);
                consumed = 1 + offset;
                return true;
            }
            case Amf0Type.Date:
                if (body.Length < 10) return false;
                value = Amf0Value.FromDate(BinaryPrimitives.ReadDoubleBigEndian(body));
                consumed = 11;
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadProperties(
        ReadOnlySpan<byte> input, int depth, out List<KeyValuePair<string, Amf0Value>> properties, out int consumed)
    {
        properties = [];
        consumed = 0;
        var offset = 0;
        while (true)
        {
            if (!TryReadShortString(input[offset..], out var name, out var nameLength)) return false;
            offset += nameLength;
            if (name.Length == 0 && offset < input.Length && input[offset] == (byte)Amf0Type.ObjectEnd)
            {
                consumed = offset + 1;
                return true;
            }
            if (!TryReadValue(input[offset..], depth + 1, out var value, out var used)) return false;
            properties.Add(new(name, value));
            offset += used;
        }
    }

    private static bool TryReadShortString(ReadOnlySpan<byte> input, out string text, out int consumed)
    {
        text = "";
        consumed = 0;
        if (input.Length < 2) return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(input);
        if (length > input.Length - 2) return false;
        text = length == 0 ? "" : Encoding.UTF8.GetString(input.Slice(2, length));
        consumed = 2 + length;
        return true;
    }
}
