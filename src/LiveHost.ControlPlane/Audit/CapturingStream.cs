namespace LiveHost.ControlPlane;

/// <summary>
/// A request body that passes every read through and keeps a copy of the first <c>limit</c> bytes (and counts the
/// rest), so the audit log can record what the endpoint read without buffering the body a second time.
/// </summary>
public sealed class CapturingStream(Stream inner, int limit) : Stream
{
    private readonly byte[] _kept = new byte[limit];
    private int _keptLength;

    public Stream Inner { get; } = inner;

    /// <summary>Bytes read through this stream so far.</summary>
    public long Total { get; private set; }

    public ReadOnlySpan<byte> Kept => _kept.AsSpan(0, _keptLength);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => Inner.Length;

    public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, Inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Keep(buffer[..Inner.Read(buffer)]);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Keep(buffer.AsSpan(offset, await Inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        return Keep(buffer.Span[..read]);
    }

    private int Keep(ReadOnlySpan<byte> read)
    {
        var room = Math.Min(read.Length, _kept.Length - _keptLength);
        read[..room].CopyTo(_kept.AsSpan(_keptLength));
        _keptLength += room;
        Total += read.Length;
        return read.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
