using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using LiveHost.Media;
using LiveHost.Rtmp.Network;
using Microsoft.Extensions.Logging;

namespace LiveHost.Rtmp;

/// <summary>
/// One RTMP publishing connection. Lifecycle:
/// <code>
/// ConnectAsync: TCP -> (rtmps: TLS, certificate checked) -> handshake -> Set Chunk Size 4096 -> connect -> releaseStream, FCPublish -> createStream
///               -> publish(key, "live") -> NetStream.Publish.Start
/// then          Send* (metadata, sequence headers, frames) until DisposeAsync or a failure, which completes
///               <see cref="Completion"/> with the reason.
/// ending        UnpublishAsync: FCUnpublish, deleteStream (the server ends the publication and tells its players),
///               then DisposeAsync closes the connection.
/// </code>
/// A receive loop runs from the handshake on: it answers pings, acknowledges, applies the server's chunk size
/// and routes command replies. Sends are serialized by one lock and chunked into one pooled buffer, so the
/// steady state allocates nothing per chunk or per frame.
/// </summary>
public sealed class RtmpClient : IAsyncDisposable
{
    public const int OutgoingChunkSize = 4096;
    private const int ControlChunkStream = 2;
    private const int CommandChunkStream = 3;
    private const int AudioChunkStream = 4;
    private const int DataChunkStream = 5;
    private const int VideoChunkStream = 6;
    private const int StreamCommandChunkStream = 8;

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _sendStallTimeout;
    private readonly CancellationTokenSource _lifetime = new();
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification =
        "Never disposed on purpose: a sender may still be waiting on it when the connection closes, and must then see the " +
        "closed connection, not an ObjectDisposedException; without AvailableWaitHandle it holds nothing unmanaged.")]
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly RtmpChunkWriter _chunkWriter = new();
    private readonly RtmpChunkReader _chunkReader = new();
    private readonly PooledBufferWriter _sendBuffer = new();
    private readonly byte[] _tagHeader = new byte[8];
    private readonly ConcurrentDictionary<double, TaskCompletionSource<List<Amf0Value>>> _pending = new();
    private readonly TaskCompletionSource _publishStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly RtmpTlsTrust _trust;
    // The socket's stream for rtmp://, a TLS stream over it for rtmps://; set once the connection is up.
    private Stream _stream = Stream.Null;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _watchdog = Task.CompletedTask;
    private long _bytesSent;
    private long _bytesReceived;
    private long _lastAcknowledged;
    private uint _windowAcknowledgementSize;
    private uint _streamId;
    private long _sendStartedAt;
    private int _disposed;

    private readonly OutputAddressPolicy _addresses;

    /// <param name="addresses">Which addresses the URL's host may resolve to (default: public ones only).</param>
    /// <param name="trust">For rtmps://, which certificates are accepted (default: the machine's trusted roots).</param>
    public RtmpClient(RtmpUrl url, ILogger logger, TimeProvider timeProvider, TimeSpan? sendStallTimeout = null, OutputAddressPolicy? addresses = null,
        RtmpTlsTrust? trust = null)
    {
        Url = url;
        _trust = trust ?? RtmpTlsTrust.System;
        _addresses = addresses ?? OutputAddressPolicy.PublicOnly;
        _logger = logger;
        _timeProvider = timeProvider;
        _sendStallTimeout = sendStallTimeout ?? TimeSpan.FromSeconds(15);
    }

    public RtmpUrl Url { get; }

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Completes (faulted, with the reason) when the connection ends; never completes successfully before dispose.</summary>
    public Task Completion => _receiveLoop;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        // Resolved and checked at every connect, and the socket goes only to the addresses checked (DNS rebinding).
        var addresses = await _addresses.ResolveAllowedAsync(Url.Host, token);
        await _socket.ConnectAsync(addresses, Url.Port, token);
        _stream = Url.Secure ? await AuthenticateAsync(token) : new NetworkStream(_socket, ownsSocket: false);
        await HandshakeAsync(token);
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_lifetime.Token), CancellationToken.None);
        _watchdog = Task.Run(() => WatchSendsAsync(_lifetime.Token), CancellationToken.None);

        await SendControlAsync(RtmpMessageType.SetChunkSize, OutgoingChunkSize, token, applyChunkSize: true);

        var connect = Expect(1);
        await SendCommandAsync(CommandChunkStream, 0, w => RtmpCommandWriter.WriteConnect(w, 1, Url), token);
        await AwaitReplyAsync(connect, "connect", token);

        await SendCommandAsync(CommandChunkStream, 0, w => RtmpCommandWriter.WriteStreamCommand(w, "releaseStream", 2, Url.StreamKey), token);
        await SendCommandAsync(CommandChunkStream, 0, w => RtmpCommandWriter.WriteStreamCommand(w, "FCPublish", 3, Url.StreamKey), token);
        var create = Expect(4);
        await SendCommandAsync(CommandChunkStream, 0, w => RtmpCommandWriter.WriteCreateStream(w, 4), token);
        var created = await AwaitReplyAsync(create, "createStream", token);
        if (created.Count < 4 || created[3].Type != Amf0Type.Number || created[3].Number is < 0 or > uint.MaxValue)
        {
            throw new RtmpProtocolException("createStream reply carries no stream id");
        }
        _streamId = (uint)created[3].Number;

        await SendCommandAsync(StreamCommandChunkStream, _streamId, w => RtmpCommandWriter.WritePublish(w, 5, Url.StreamKey), token);
        await _publishStarted.Task.WaitAsync(token);
    }

    public async ValueTask SendMetadataAsync(H264Config video, AacConfig audio, double framesPerSecond, AigcLabel label, CancellationToken cancellationToken)
    {
        await EnterSendAsync(cancellationToken);
        try
        {
            using var body = new PooledBufferWriter(1024);
            FlvMetadata.Write(body, video, audio, framesPerSecond, label);
            _sendBuffer.Clear();
            _chunkWriter.WriteMessage(_sendBuffer, DataChunkStream, RtmpMessageType.DataAmf0, _streamId, 0, default, body.WrittenSpan);
            await FlushAsync(cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask SendVideoSequenceHeaderAsync(H264Config config, uint timestamp, CancellationToken cancellationToken) =>
        SendSequenceHeaderAsync(VideoChunkStream, RtmpMessageType.Video, timestamp,
            FlvVideoPayload.GetSequenceHeaderSize(config), span => FlvVideoPayload.WriteSequenceHeader(span, config), cancellationToken);

    public ValueTask SendAudioSequenceHeaderAsync(AacConfig config, uint timestamp, CancellationToken cancellationToken) =>
        SendSequenceHeaderAsync(AudioChunkStream, RtmpMessageType.Audio, timestamp,
            FlvAudioPayload.GetSequenceHeaderSize(config), span => FlvAudioPayload.WriteSequenceHeader(span, config), cancellationToken);

    // Sequence headers are rare (once per connection or config change), so a delegate here costs nothing that matters.
    private async ValueTask SendSequenceHeaderAsync(
        int chunkStream, byte type, uint timestamp, int size, Func<byte[], int> write, CancellationToken cancellationToken)
    {
        await EnterSendAsync(cancellationToken);
        try
        {
            var payload = ArrayPool<byte>.Shared.Rent(size);
            var length = write(payload);
            _sendBuffer.Clear();
            _chunkWriter.WriteMessage(_sendBuffer, chunkStream, type, _streamId, timestamp, default, payload.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(payload);
            await FlushAsync(cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends one AVCC access unit as an FLV AVC NALU packet.</summary>
    public async ValueTask SendVideoFrameAsync(uint timestamp, bool isKeyframe, ReadOnlyMemory<byte> avcc, CancellationToken cancellationToken)
    {
        await EnterSendAsync(cancellationToken);
        try
        {
            var headerLength = FlvVideoPayload.WriteNaluHeader(_tagHeader, isKeyframe);
            _sendBuffer.Clear();
            _chunkWriter.WriteMessage(_sendBuffer, VideoChunkStream, RtmpMessageType.Video, _streamId, timestamp, _tagHeader.AsSpan(0, headerLength), avcc.Span);
            await FlushAsync(cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends one raw AAC frame.</summary>
    public async ValueTask SendAudioFrameAsync(uint timestamp, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await EnterSendAsync(cancellationToken);
        try
        {
            var headerLength = FlvAudioPayload.WriteRawHeader(_tagHeader);
            _sendBuffer.Clear();
            _chunkWriter.WriteMessage(_sendBuffer, AudioChunkStream, RtmpMessageType.Audio, _streamId, timestamp, _tagHeader.AsSpan(0, headerLength), frame.Span);
            await FlushAsync(cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Ends the publication the way FMLE and ffmpeg do before closing: FCUnpublish(key) and deleteStream(stream id)
    /// on the NetConnection. Neither has a reply to wait for; once they are sent the server has ended the stream (nginx-rtmp
    /// sends its players NetStream.Play.UnpublishNotify). The caller disposes the client afterwards.
    /// </summary>
    public async Task UnpublishAsync(CancellationToken cancellationToken)
    {
        await SendCommandAsync(CommandChunkStream, 0, w => RtmpCommandWriter.WriteStreamCommand(w, "FCUnpublish", 6, Url.StreamKey), cancellationToken);
        await SendCommandAsync(CommandChunkStream, 0, w => RtmpCommandWriter.WriteDeleteStream(w, 7, _streamId), cancellationToken);
    }

    /// <summary>TLS over the connected socket; a refused certificate fails the connect with what was wrong with it.</summary>
    private async Task<Stream> AuthenticateAsync(CancellationToken token)
    {
        string? refusal = null;
        var tls = new SslStream(new NetworkStream(_socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(_trust.ClientOptions(Url.Host, reason => refusal = reason), token);
            return tls;
        }
        catch (AuthenticationException error)
        {
            await tls.DisposeAsync();
            var trusted = _trust.IsCustom ? "the output's trustedCa" : "the system's trusted CAs";
            throw new RtmpProtocolException(refusal is null
                ? $"TLS handshake with {Url.Host}:{Url.Port} failed: {error.Message}"
                : $"TLS certificate of {Url.Host}:{Url.Port} refused: {refusal} (checked against {trusted})", error);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 + (2 * RtmpHandshake.PacketSize));
        try
        {
            var c0c1 = RtmpHandshake.WriteC0C1(buffer, 0, Random.Shared);
            await SendAllAsync(buffer.AsMemory(0, c0c1), token);
            await ReceiveExactlyAsync(buffer.AsMemory(0, 1 + RtmpHandshake.PacketSize), token);
            if (!RtmpHandshake.IsSupportedVersion(buffer[0]))
            {
                throw new RtmpProtocolException($"server answered the handshake with RTMP version {buffer[0]}, not 3");
            }
            // C2 echoes S1. Send it before reading S2: the spec lets a server hold S2 back until it has C2.
            var c2 = RtmpHandshake.WriteC2(buffer.AsSpan(1 + RtmpHandshake.PacketSize), buffer.AsSpan(1, RtmpHandshake.PacketSize));
            await SendAllAsync(buffer.AsMemory(1 + RtmpHandshake.PacketSize, c2), token);
            await ReceiveExactlyAsync(buffer.AsMemory(0, RtmpHandshake.PacketSize), token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReceiveExactlyAsync(Memory<byte> destination, CancellationToken token)
    {
        while (!destination.IsEmpty)
        {
            var read = await _stream.ReadAsync(destination, token);
            if (read == 0) throw new RtmpProtocolException("server closed the connection during the handshake");
            destination = destination[read..];
        }
    }

    private TaskCompletionSource<List<Amf0Value>> Expect(double transactionId)
    {
        var reply = new TaskCompletionSource<List<Amf0Value>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transactionId] = reply;
        return reply;
    }

    private static async Task<List<Amf0Value>> AwaitReplyAsync(TaskCompletionSource<List<Amf0Value>> reply, string command, CancellationToken token)
    {
        var values = await reply.Task.WaitAsync(token);
        if (values.Count > 0 && values[0].Text == "_error")
        {
            var info = values.Count > 3 ? values[3] : Amf0Value.Null;
            throw new RtmpProtocolException($"server refused {command}: {info.GetString("code")} {info.GetString("description")}".TrimEnd());
        }
        return values;
    }

    private async Task SendCommandAsync(int chunkStream, uint streamId, Action<PooledBufferWriter> writeBody, CancellationToken token)
    {
        using var body = new PooledBufferWriter(512);
        writeBody(body);
        await EnterSendAsync(token);
        try
        {
            _sendBuffer.Clear();
            _chunkWriter.WriteMessage(_sendBuffer, chunkStream, RtmpMessageType.CommandAmf0, streamId, 0, default, body.WrittenSpan);
            await FlushAsync(token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a 4-byte protocol control message (Set Chunk Size, Acknowledgement, Window Ack Size).</summary>
    private async Task SendControlAsync(byte typeId, uint value, CancellationToken token, bool applyChunkSize = false)
    {
        await EnterSendAsync(token);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(_tagHeader, value);
            _sendBuffer.Clear();
            _chunkWriter.WriteMessage(_sendBuffer, ControlChunkStream, typeId, 0, 0, _tagHeader.AsSpan(0, 4), default);
            if (applyChunkSize) _chunkWriter.ChunkSize = (int)value;
            await FlushAsync(token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendPingResponseAsync(ReadOnlyMemory<byte> eventData, CancellationToken token)
    {
        await EnterSendAsync(token);
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(_tagHeader, 7);
            _sendBuffer.Clear();
            _chunkWriter.WriteMessage(_sendBuffer, ControlChunkStream, RtmpMessageType.UserControl, 0, 0, _tagHeader.AsSpan(0, 2), eventData.Span);
            await FlushAsync(token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask EnterSendAsync(CancellationToken token)
    {
        await _sendLock.WaitAsync(token);
        if (Volatile.Read(ref _disposed) != 0)
        {
            _sendLock.Release();
            throw new ObjectDisposedException(nameof(RtmpClient), "the RTMP connection is closed");
        }
    }

    /// <summary>Sends the send buffer; the caller holds the send lock.</summary>
    private async ValueTask FlushAsync(CancellationToken token)
    {
        Volatile.Write(ref _sendStartedAt, _timeProvider.GetTimestamp());
        try
        {
            await SendAllAsync(_sendBuffer.WrittenMemory, token);
        }
        finally
        {
            Volatile.Write(ref _sendStartedAt, 0);
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken token)
    {
        await _stream.WriteAsync(data, token);
        Interlocked.Add(ref _bytesSent, data.Length);
    }

    /// <summary>
    /// A server that stops reading (but keeps the TCP connection) would leave a send pending forever; this aborts
    /// the connection instead, so the output reconnects.
    /// </summary>
    private async Task WatchSendsAsync(CancellationToken token)
    {
        try
        {
            var period = TimeSpan.FromTicks(Math.Max(_sendStallTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks));
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(period, _timeProvider, token);
                var started = Volatile.Read(ref _sendStartedAt);
                if (started != 0 && _timeProvider.GetElapsedTime(started) > _sendStallTimeout)
                {
                    _logger.SendStalled(Url.Masked, _sendStallTimeout);
                    _socket.Dispose();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var start = 0;
        var end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        // One chunk bigger than the buffer (a large server chunk size): grow, bounded by the reader's limits.
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
                var read = await _stream.ReadAsync(buffer.AsMemory(end), token);
                if (read == 0) throw new RtmpProtocolException("server closed the connection");
                end += read;
                await AcknowledgeAsync(read, token);
                while (true)
                {
                    var status = _chunkReader.TryRead(buffer.AsSpan(start, end - start), out var message, out var consumed);
                    if (status == RtmpReadStatus.NeedMoreData) break;
                    if (status == RtmpReadStatus.Invalid) throw new RtmpProtocolException("server sent malformed RTMP chunks");
                    start += consumed;
                    if (message is not null) await HandleMessageAsync(message, token);
                }
                if (start == end) start = end = 0;
            }
        }
        catch (Exception error)
        {
            var reason = error is OperationCanceledException && token.IsCancellationRequested
                ? new OperationCanceledException("connection closed", error, token)
                : error;
            foreach (var pending in _pending.Values) pending.TrySetException(reason);
            _publishStarted.TrySetException(reason);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task AcknowledgeAsync(int read, CancellationToken token)
    {
        var received = Interlocked.Add(ref _bytesReceived, read);
        var window = Volatile.Read(ref _windowAcknowledgementSize);
        if (window == 0 || received - _lastAcknowledged < window) return;
        _lastAcknowledged = received;
        await SendControlAsync(RtmpMessageType.Acknowledgement, unchecked((uint)received), token);
    }

    private async Task HandleMessageAsync(RtmpMessage message, CancellationToken token)
    {
        var payload = message.Payload;
        switch (message.TypeId)
        {
            case RtmpMessageType.SetChunkSize:
                if (payload.Length < 4 || !_chunkReader.TrySetChunkSize(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF))
                {
                    throw new RtmpProtocolException("server sent an invalid Set Chunk Size");
                }
                break;
            case RtmpMessageType.WindowAcknowledgementSize:
                if (payload.Length >= 4) Volatile.Write(ref _windowAcknowledgementSize, BinaryPrimitives.ReadUInt32BigEndian(payload));
                break;
            case RtmpMessageType.UserControl:
                // Event 6 is PingRequest; servers drop clients that do not answer with PingResponse (7).
                if (payload.Length >= 6 && BinaryPrimitives.ReadUInt16BigEndian(payload) == 6)
                {
                    await SendPingResponseAsync(payload.AsMemory(2, 4), token);
                }
                break;
            case RtmpMessageType.CommandAmf0:
                HandleCommand(payload);
                break;
            default:
                // Acknowledgement, Set Peer Bandwidth, Abort, data and media: nothing a publisher must act on.
                break;
        }
    }

    private void HandleCommand(byte[] payload)
    {
        var values = new List<Amf0Value>();
        Amf0Reader.TryReadAll(payload, values);
        if (values.Count < 2 || values[0].Text is not { } name) return;
        switch (name)
        {
            case "_result" or "_error":
                if (_pending.TryRemove(values[1].Number, out var reply)) reply.TrySetResult(values);
                break;
            case "onStatus":
            {
                var info = values.Count > 3 ? values[3] : Amf0Value.Null;
                var code = info.GetString("code") ?? "";
                var level = info.GetString("level") ?? "";
                var description = info.GetString("description") ?? "";
                _logger.ServerStatus(Url.Masked, code, level, Url.Scrub(description));
                if (code == "NetStream.Publish.Start")
                {
                    _publishStarted.TrySetResult();
                }
                else if (level == "error")
                {
                    var error = new RtmpProtocolException($"server refused publishing: {code} {description}".TrimEnd());
                    if (!_publishStarted.TrySetException(error)) throw error;
                }
                break;
            }
            default:
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _lifetime.CancelAsync();
        _socket.Dispose();
        try
        {
            await Task.WhenAll(_receiveLoop, _watchdog);
        }
        catch (Exception)
        {
            // The loops end with whatever the closed socket threw; the owner already saw the real failure.
        }
        // Senders re-check _disposed under the lock, so the buffer can go back to the pool once we hold it.
        await _sendLock.WaitAsync(CancellationToken.None);
        _sendBuffer.Dispose();
        await _stream.DisposeAsync();
        _sendLock.Release();
        _lifetime.Dispose();
    }
}
