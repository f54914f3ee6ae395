using System.Collections.Concurrent;
using System.Text;
using LiveHost.Speech.Espeak;
using Microsoft.Extensions.Logging;

namespace LiveHost.Speech.Flite;

/// <summary>
/// One Flite voice's thread: serves the lines given to that voice in order, holding the voice's gate while Flite
/// synthesizes (a voice is not thread-safe), so native calls never run on a caller's thread (the engine's tick).
/// </summary>
internal sealed unsafe class FliteVoiceWorker : IDisposable
{
    private readonly BlockingCollection<SpeechStream> _queue = [];
    private readonly FliteProcess.LoadedVoice _voice;
    private readonly FliteLineSession _session;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _disposed;

    public FliteVoiceWorker(FliteVoice voice, int chunkMilliseconds, ILogger logger)
    {
        Voice = voice;
        _voice = FliteProcess.Load(voice);
        _session = new FliteLineSession(chunkMilliseconds);
        _logger = logger;
        _thread = new Thread(Serve) { IsBackground = true, Name = voice.Id };
        _thread.Start();
    }

    public FliteVoice Voice { get; }

    /// <exception cref="ObjectDisposedException">The worker has shut down.</exception>
    public void Enqueue(SpeechStream stream)
    {
        try
        {
            _queue.Add(stream);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(FliteSynthesizer));
        }
    }

    private void Serve() => SynthesisQueue.Serve(_queue, () => _disposed, nameof(FliteSynthesizer), Synthesize);

    private void Synthesize(SpeechStream stream)
    {
        var text = EspeakText.WithoutControls(stream.Request.Text ?? string.Empty);
        try
        {
            _session.Begin(stream, Voice.Gain);
            var first = true;
            foreach (var sentence in FliteText.Sentences(text))
            {
                if (stream.IsCancelled) break;
                var utf8 = new byte[Encoding.UTF8.GetByteCount(sentence) + 1];
                Encoding.UTF8.GetBytes(sentence, utf8);
                _session.BeginUtterance(first);
                first = false;
                lock (_voice.Gate)
                {
                    _voice.Streaming->UserData = _session.Handle;
                    nint utterance;
                    fixed (byte* p = utf8) utterance = FliteNative.SynthText(p, _voice.Voice);
                    _voice.Streaming->UserData = 0;
                    if (utterance != 0) FliteNative.DeleteUtterance(utterance);
                }
                if (_session.Failure is not null) throw new InvalidOperationException("Handling Flite's audio failed.", _session.Failure);
                _session.EndUtterance();
                if (_session.Aborted) break;
            }
            _session.Finish();
            FliteSynthesizerLog.LineDone(_logger, Voice.Id, _session.EmittedSamples, _session.Aborted || stream.IsCancelled ? "stopped early" : "complete");
            stream.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            FliteSynthesizerLog.LineFailed(_logger, ex, Voice.Id);
            stream.Writer.TryComplete(ex);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _session.Dispose();
        _queue.Dispose();
    }
}
