using System.Buffers.Binary;
using System.Text;

namespace LiveHost.Recording.Tests;

/// <summary>A test's view of MP4 boxes: type, where the box starts, and its body, walked from a byte array.</summary>
internal sealed record Mp4Box(string Type, int Offset, byte[] Body)
{
    public static List<Mp4Box> Children(byte[] bytes, int start = 0, int? end = null)
    {
        var boxes = new List<Mp4Box>();
        var at = start;
        var stop = end ?? bytes.Length;
        while (at + 8 <= stop)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            if (size < 8 || at + size > stop) break;
            boxes.Add(new Mp4Box(Encoding.Latin1.GetString(bytes, at + 4, 4), at, bytes[(at + 8)..(at + size)]));
            at += size;
        }
        return boxes;
    }

    /// <summary>Child boxes of this box, skipping <paramref name="headerBytes"/> of its own fields first (4 for a full box).</summary>
    public List<Mp4Box> Children(int headerBytes = 0) => Children(Body, headerBytes);

    public Mp4Box Child(string type, int headerBytes = 0) =>
        Children(headerBytes).SingleOrDefault(b => b.Type == type) ?? throw new InvalidDataException($"{Type} has no {type}");

    public uint UInt32At(int offset) => BinaryPrimitives.ReadUInt32BigEndian(Body.AsSpan(offset));
}
