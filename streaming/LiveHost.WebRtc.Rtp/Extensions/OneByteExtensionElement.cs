namespace LiveHost.WebRtc.Rtp.Extensions;

/// <summary>
/// One RFC 8285 one-byte element that a sender adds to every packet of a stream, made once (its ID is the one this
/// receiver negotiated) and inserted per packet with no allocation.
/// </summary>
public sealed class OneByteExtensionElement
{
    private readonly byte[] _data;

    public OneByteExtensionElement(int id, ReadOnlySpan<byte> data)
    {
        if (id is < OneByteHeaderExtension.MinId or > OneByteHeaderExtension.MaxId) throw new ArgumentOutOfRangeException(nameof(id), id, "one-byte extension IDs are 1 to 14");
        if (data.Length is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(data), data.Length, "one-byte extension elements carry 1 to 16 bytes");
        Id = id;
        _data = data.ToArray();
    }

    /// <summary>The playout-delay element under <paramref name="id"/>.</summary>
    public static OneByteExtensionElement PlayoutDelay(int id, PlayoutDelay delay)
    {
        Span<byte> data = stackalloc byte[Extensions.PlayoutDelay.DataSize];
        delay.WriteTo(data);
        return new OneByteExtensionElement(id, data);
    }

    public int Id { get; }

    public ReadOnlySpan<byte> Data => _data;

    /// <summary>Adds the element to the packet in <c>packet[..length]</c>; returns the new length, or <paramref name="length"/> when it could not (the packet goes as it was).</summary>
    public int AddTo(Span<byte> packet, int length)
    {
        var added = OneByteHeaderExtension.TryInsert(packet, length, Id, _data);
        return added < 0 ? length : added;
    }
}
