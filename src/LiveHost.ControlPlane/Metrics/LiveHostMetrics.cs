using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Prometheus;

namespace LiveHost.ControlPlane;

/// <summary>
/// Every Prometheus collector LiveHost exports, on the registry the composition root injects (never the static
/// default one, so tests and several hosts in one process do not share series). The engine, the outputs and the
/// control plane update them through these methods; <c>/metrics</c> serves the same registry.
/// </summary>
public sealed class LiveHostMetrics
{
    private readonly Counter _linesAccepted;
    private readonly Counter _linesFinished;
    private readonly Counter _commands;
    private readonly Gauge _queueLength;
    private readonly Counter _framesRendered;
    private readonly Histogram _frameSeconds;
    private readonly Counter _lateTicks;
    private readonly Counter _droppedVideoFrames;
    private readonly Gauge _outputUp;
    private readonly Counter _outputConnects;
    private readonly Gauge _outputState;
    private readonly Gauge _outputBitrate;
    private readonly Counter _outputReconnects;
    private readonly Gauge _outputFailing;
    private readonly Counter _hubEventsSent;
    private readonly Counter _hubStateEventsDropped;
    private readonly Gauge _hubEventsPending;
    private readonly Counter _hubClientsDropped;
    private readonly Histogram _cueToFirstAudio;
    private readonly Gauge _engineLag;
    private readonly Counter _encoderDropped;
    private readonly Counter _encoderRestarts;
    private readonly Counter _encoderKeyframesForced;
    private readonly Gauge _webRtcViewers;
    private readonly Counter _webRtcDropped;
    private readonly Counter _webRtcKeyframeRequests;
    private readonly Counter _webRtcClosed;
    private readonly Counter _webRtcRefused;

    public LiveHostMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _linesAccepted = factory.CreateCounter("livehost_lines_accepted_total", "Lines a room accepted, by how (enqueue or cue).", ["room", "kind"]);
        _linesFinished = factory.CreateCounter("livehost_lines_finished_total", "Lines that finished, by reason (completed, skipped, interrupted, cleared, failed, rejected).", ["room", "reason"]);
        _commands = factory.CreateCounter("livehost_control_commands_total", "Control-plane commands (hub and REST), by command and outcome (ok or the rejection code).", ["command", "outcome"]);
        _queueLength = factory.CreateGauge("livehost_queue_length", "Lines waiting in a room's queue.", ["room"]);
        _framesRendered = factory.CreateCounter("livehost_frames_rendered_total", "Video frames a room rendered.", ["room"]);
        _frameSeconds = factory.CreateHistogram("livehost_frame_render_seconds", "Time to render one frame (draw + audio mix).", ["room"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 10) });
        _lateTicks = factory.CreateCounter("livehost_late_ticks_total", "Frame-clock ticks that started later than their deadline.", ["room"]);
        _droppedVideoFrames = factory.CreateCounter("livehost_video_frames_dropped_total", "Video frames an output dropped because it could not keep up.", ["room", "output"]);
        _outputUp = factory.CreateGauge("livehost_output_up", "1 when an output is connected and sending, else 0.", ["room", "output"]);
        _outputConnects = factory.CreateCounter("livehost_output_connects_total", "Connection attempts an output made (first connect and reconnects).", ["room", "output"]);
        _outputState = factory.CreateGauge("livehost_output_state", "1 for an output's current state (connecting, live, retrying, paused, stopped), 0 for the others.", ["room", "output", "state"]);
        _outputBitrate = factory.CreateGauge("livehost_output_bitrate_bits_per_second", "What an output sent over its last second while live; 0 otherwise.", ["room", "output"]);
        _outputReconnects = factory.CreateCounter("livehost_output_reconnects_total", "Connection attempts an output made after a failure.", ["room", "output"]);
        _outputFailing = factory.CreateGauge("livehost_output_last_error", "1 while an output has a last error (GET .../outputs says which), else 0.", ["room", "output"]);
        _hubEventsSent = factory.CreateCounter("livehost_hub_events_sent_total", "Room events sent to SignalR groups, by event name.", ["event"]);
        _hubStateEventsDropped = factory.CreateCounter("livehost_hub_state_events_dropped_total", "StateChanged events dropped because newer ones were waiting (line events are never dropped).");
        _cueToFirstAudio = factory.CreateHistogram("livehost_cue_to_first_audio_seconds", "From a line being taken (cue) to its first audio sample on the room's timeline.", ["room"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 10) });
        _engineLag = factory.CreateGauge("livehost_engine_lag_seconds", "How far a room's engine loop is behind its media clock.", ["room"]);
        _encoderDropped = factory.CreateCounter("livehost_encoder_video_frames_dropped_total", "Video frames the room encoder dropped because it was behind or restarting.", ["room"]);
        _encoderRestarts = factory.CreateCounter("livehost_encoder_restarts_total", "Times a room's encoder (an ffmpeg process, or libx264 in process) was restarted, by track.", ["room", "track"]);
        _encoderKeyframesForced = factory.CreateCounter("livehost_encoder_keyframes_forced_total", "IDR pictures the room encoder coded on request (PLI/FIR, joins) rather than on its GOP.", ["room"]);
        _webRtcViewers = factory.CreateGauge("livehost_webrtc_viewers", "Viewers watching a room over WebRTC (WHEP sessions).", ["room"]);
        _webRtcDropped = factory.CreateCounter("livehost_webrtc_packets_dropped_total", "RTP packets viewers of a room skipped because they fell behind their bounded queue or a send failed.", ["room"]);
        _webRtcKeyframeRequests = factory.CreateCounter("livehost_webrtc_keyframe_requests_total", "Keyframe requests (PLI/FIR, joins, catch-ups) for a room.", ["room"]);
        _webRtcClosed = factory.CreateCounter("livehost_webrtc_sessions_closed_total", "WHEP sessions that ended, by reason (deleted, consentexpired, handshakefailed, peerclosed, serverstopping).", ["reason"]);
        _webRtcRefused = factory.CreateCounter("livehost_webrtc_sessions_refused_total", "WHEP offers refused because a viewer limit was reached.");
        _hubEventsPending = factory.CreateGauge("livehost_hub_events_pending", "Room events waiting to be sent to SignalR clients.");
        _hubClientsDropped = factory.CreateCounter("livehost_hub_clients_dropped_total", "SignalR connections dropped for not keeping up with their events, by bound (buffer or delay).", ["reason"]);
        _hubClientsDropped.WithLabels("buffer");
        _hubClientsDropped.WithLabels("delay");
    }

    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Gives a room's line series (accepted by kind, finished by reason, queue length) a sample of 0 from the start,
    /// so they exist before the first line and rate() over them works from the first scrape.
    /// </summary>
    public void InitializeRoom(string room)
    {
        _linesAccepted.WithLabels(room, "enqueue");
        _linesAccepted.WithLabels(room, "cue");
        foreach (var reason in Enum.GetValues<FinishReason>()) _linesFinished.WithLabels(room, ReasonName(reason));
        _queueLength.WithLabels(room).Set(0);
    }

    public void LineAccepted(string room, bool cued) => _linesAccepted.WithLabels(room, cued ? "cue" : "enqueue").Inc();

    public void LineFinished(string room, FinishReason reason) => _linesFinished.WithLabels(room, ReasonName(reason)).Inc();

    public void CommandSucceeded(string command) => _commands.WithLabels(command, "ok").Inc();

    public void CommandRejected(string command, RejectionCode code) => _commands.WithLabels(command, CommandErrorMapping.CodeName(code)).Inc();

    public void SetQueueLength(string room, int length) => _queueLength.WithLabels(room).Set(length);

    public void FrameRendered(string room, TimeSpan renderTime)
    {
        _framesRendered.WithLabels(room).Inc();
        _frameSeconds.WithLabels(room).Observe(renderTime.TotalSeconds);
    }

    public void LateTick(string room) => _lateTicks.WithLabels(room).Inc();

    /// <summary>
    /// Brings a room's engine series up to the engine's own counters. The engine keeps plain fields on its hot path
    /// and this runs at scrape time, so exporting metrics costs the real-time loop nothing.
    /// </summary>
    public void SyncRoom(string room, long framesRendered, long lateTicks, double lagMilliseconds)
    {
        _framesRendered.WithLabels(room).IncTo(framesRendered);
        _lateTicks.WithLabels(room).IncTo(lateTicks);
        _engineLag.WithLabels(room).Set(lagMilliseconds / 1000);
    }

    public void ObserveRender(string room, double milliseconds) => _frameSeconds.WithLabels(room).Observe(milliseconds / 1000);

    public void ObserveCueToFirstAudio(string room, double milliseconds) => _cueToFirstAudio.WithLabels(room).Observe(milliseconds / 1000);

    public void SyncEncoder(string room, long videoFramesDropped, long videoRestarts, long audioRestarts, long keyframesForced)
    {
        _encoderKeyframesForced.WithLabels(room).IncTo(keyframesForced);
        _encoderDropped.WithLabels(room).IncTo(videoFramesDropped);
        _encoderRestarts.WithLabels(room, "video").IncTo(videoRestarts);
        _encoderRestarts.WithLabels(room, "audio").IncTo(audioRestarts);
    }

    public void SyncOutput(string room, string output, bool up, long connects, long droppedVideoFrames)
    {
        _outputUp.WithLabels(room, output).Set(up ? 1 : 0);
        _outputConnects.WithLabels(room, output).IncTo(connects);
        _droppedVideoFrames.WithLabels(room, output).IncTo(droppedVideoFrames);
    }

    /// <summary>The state, bitrate, reconnects and failing flag of one output, at scrape time.</summary>
    public void SyncOutputDetails(string room, string output, string state, long bitsPerSecond, long reconnects, bool hasError)
    {
        foreach (var name in OutputStates) _outputState.WithLabels(room, output, name).Set(name == state ? 1 : 0);
        _outputBitrate.WithLabels(room, output).Set(bitsPerSecond);
        _outputReconnects.WithLabels(room, output).IncTo(reconnects);
        _outputFailing.WithLabels(room, output).Set(hasError ? 1 : 0);
    }

    private static readonly string[] OutputStates = ["connecting", "live", "retrying", "paused", "stopped"];

    public void VideoFramesDropped(string room, string output, int count = 1) => _droppedVideoFrames.WithLabels(room, output).Inc(count);

    public void OutputConnecting(string room, string output) => _outputConnects.WithLabels(room, output).Inc();

    public void SetOutputUp(string room, string output, bool up) => _outputUp.WithLabels(room, output).Set(up ? 1 : 0);

    /// <summary>Forgets a removed output's series so a deleted output does not linger on dashboards.</summary>
    public void OutputRemoved(string room, string output)
    {
        _outputUp.RemoveLabelled(room, output);
        _outputConnects.RemoveLabelled(room, output);
        _droppedVideoFrames.RemoveLabelled(room, output);
        foreach (var name in OutputStates) _outputState.RemoveLabelled(room, output, name);
        _outputBitrate.RemoveLabelled(room, output);
        _outputReconnects.RemoveLabelled(room, output);
        _outputFailing.RemoveLabelled(room, output);
    }

    public void SyncWebRtcRoom(string room, int viewers, long packetsDropped, long keyframeRequests)
    {
        _webRtcViewers.WithLabels(room).Set(viewers);
        _webRtcDropped.WithLabels(room).IncTo(packetsDropped);
        _webRtcKeyframeRequests.WithLabels(room).IncTo(keyframeRequests);
    }

    public void SyncWebRtcSessions(IReadOnlyDictionary<string, long> closedByReason, long refused)
    {
        foreach (var (reason, count) in closedByReason) _webRtcClosed.WithLabels(reason.ToLowerInvariant()).IncTo(count);
        _webRtcRefused.IncTo(refused);
    }

    public void HubEventSent(string eventName) => _hubEventsSent.WithLabels(eventName).Inc();

    public void HubStateEventDropped() => _hubStateEventsDropped.Inc();

    public void HubClientDropped(string reason) => _hubClientsDropped.WithLabels(reason).Inc();

    public void SetHubEventsPending(long pending) => _hubEventsPending.Set(pending);

    /// <summary>livehost_inference_provider{provider}: 1 for the provider ONNX models run on, 0 for the other <paramref name="known"/> ones.</summary>
    public void SetInferenceProvider(string provider, IReadOnlyList<string> known)
    {
        var gauge = Prometheus.Metrics.WithCustomRegistry(Registry).CreateGauge("livehost_inference_provider",
            "Execution provider the ONNX models (viseme, lip-sync) run on: 1 for the one in use (CPU or CUDA).", ["provider"]);
        foreach (var name in known) gauge.WithLabels(name).Set(name == provider ? 1 : 0);
    }

    private static string ReasonName(FinishReason reason) => reason switch
    {
        FinishReason.Completed => "completed",
        FinishReason.Skipped => "skipped",
        FinishReason.Interrupted => "interrupted",
        FinishReason.Cleared => "cleared",
        FinishReason.Failed => "failed",
        FinishReason.Rejected => "rejected",
        FinishReason.Removed => "removed",
        _ => "unknown",
    };
}
