using System.Threading.Channels;

namespace LiveHost.Speech;

/// <summary>
/// One line being synthesized. The reader completes when the line is done, or with an exception when synthesis
/// failed. <see cref="Cancel"/> stops synthesis early (a skipped or interrupted line) and frees the synthesizer.
/// </summary>
public sealed class SpeechStream : IDisposable
{
    private readonly Channel<SpeechChunk> _chunks;
    private readonly CancellationTokenSource _cancel = new();

    public SpeechStream(SpeechRequest request, VoiceInfo voice)
    {
        Request = request;
        Voice = voice;
        _chunks = Channel.CreateUnbounded<SpeechChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    }

    public SpeechRequest Request { get; }
    public VoiceInfo Voice { get; }

    public ChannelReader<SpeechChunk> Chunks => _chunks.Reader;

    /// <summary>For the synthesizer: where it writes chunks, and completes.</summary>
    public ChannelWriter<SpeechChunk> Writer => _chunks.Writer;

    /// <summary>Set when the consumer no longer wants audio; the synthesizer checks it between chunks.</summary>
    public CancellationToken CancellationToken => _cancel.Token;

    public bool IsCancelled => _cancel.IsCancellationRequested;

    public void Cancel()
    {
        if (!_cancel.IsCancellationRequested) _cancel.Cancel();
    }

    public void Dispose()
    {
        Cancel();
        _chunks.Writer.TryComplete();
        _cancel.Dispose();
    }
}
