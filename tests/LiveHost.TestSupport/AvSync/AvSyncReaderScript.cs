using System.Globalization;
using LiveHost.Media;

namespace LiveHost.TestSupport.AvSync;

/// <summary>
/// The page side of the A/V sync measurement, evaluated in the /watch page once it has loaded (the room has
/// <c>FrameStamp</c> and <c>AvSyncMarker</c> on). Video: on every presented frame (<c>requestVideoFrameCallback</c>)
/// the stamp is decoded, and frames that carry a marker (index a multiple of <see cref="AvSyncMarker.PeriodFrames"/>)
/// are recorded with <c>expectedDisplayTime</c>. Audio: the stream's audio track is tapped in WebAudio
/// (<c>createMediaStreamSource</c>: Chromium gives an element source silence for remote WebRTC audio) into an
/// AudioWorklet that measures the marker tone's amplitude every 64 samples and reports an onset at the first window
/// over the threshold; its context time becomes performance time through <c>AudioContext.getOutputTimestamp()</c>,
/// i.e. the moment it leaves for the speakers. Both times are on the page's performance clock.
/// </summary>
public static class AvSyncReaderScript
{
    /// <summary>Tone amplitude (full scale 1) a 64-sample window must exceed to count as a marker's onset.</summary>
    public const double Threshold = AvSyncMarker.Amplitude / 3;

    private static readonly string Frequency = AvSyncMarker.FrequencyHz.ToString(CultureInfo.InvariantCulture);
    private static readonly string Period = AvSyncMarker.PeriodFrames.ToString(CultureInfo.InvariantCulture);
    private static readonly string Amplitude = AvSyncMarker.Amplitude.ToString(CultureInfo.InvariantCulture);
    private static readonly string ThresholdText = Threshold.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Installs the reader (once the element plays); resolves to the audio source used ("stream"). Its argument, when
    /// given, is the room's RTP timestamp bases <c>{ videoBase, audioBase }</c> (what media time zero is on each track's
    /// clock): with them the page also times each marker's sound on the element's own audio path, without WebAudio
    /// (<c>delivered</c>, with the frame's <c>pts90k</c>): <c>handed</c>, when Chromium handed its first sample to the output device (the receiver's
    /// synchronization sources: the time and RTP timestamp of each 10 ms of audio pulled for playout), and <c>heard</c>,
    /// that plus the device's delay as Chromium accounts it (media-playout stats). The tap's WebAudio graph adds a
    /// buffer between the track and its worklet and plays through a context of its own, which the element's sound does
    /// not go through (measured 2026-12-05: the tap hears an onset 52-61 ms after it is handed over, the element's
    /// output adds 30).
    /// </summary>
    public static string Install => $$"""
async (clocks) => {
  {{FrameStampPageDecoder.Function}}
  const video = document.getElementById('video');
  const decode = makeStampDecoder(video);
  const PERIOD = {{Period}};
  const pending = [];
  // peak: the largest tone amplitude over the last second of audio blocks (0 while the worklet hears nothing).
  const out = window.__avsync = { video: [], audio: [], calibration: [], delivered: [], rtpSteps: {}, callbacks: 0, undecodable: 0, source: null, contextState: null, peak: 0, blocks: 0 };
  const onFrame = (now, md) => {
    out.callbacks++;
    const value = decode();
    if (value < 0) out.undecodable++;
    else if (value % PERIOD === 0) {
      out.video.push({ value, t: md.expectedDisplayTime });
      // The marker's first sample on the audio clock: the frame's media time (its RTP timestamp less the video base,
      // 90 kHz) at 48 kHz, plus the audio base. The engine times the tone with the frame, on one media clock.
      if (clocks && md.rtpTimestamp !== undefined)
        {
        const pts90k = (md.rtpTimestamp - clocks.videoBase) >>> 0;
        pending.push({ value, t: md.expectedDisplayTime, pts90k, rtp: (clocks.audioBase + Math.round(pts90k * 48000 / 90000)) >>> 0 });
      }
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  if (clocks) {
    // Second clock for the sound: Chromium stamps each 10 ms of audio it hands to the output with the time and the RTP
    // timestamp of the packet it came from (getSynchronizationSources). Polled every few ms; a packet's earliest
    // stamp is when its first sample went to the output. seen: RTP timestamp -> distinct delivery times (page clock).
    const receiver = window.livehost.pc.getReceivers().find(r => r.track && r.track.kind === 'audio');
    const seen = new Map();
    let last = -1;
    const resolve = newest => {
      while (pending.length > 0 && ((newest - pending[0].rtp) | 0) >= 1920) {
        const m = pending.shift();
        let best = null;
        for (const [rtp, times] of seen) {
          const into = (m.rtp - rtp) | 0;
          if (into >= 0 && into < 960 && (best === null || into < best.into)) best = { into, times };
        }
        const handed = best ? Math.min(...best.times) + best.into / 48 : null;
        out.delivered.push({ value: m.value, pts90k: m.pts90k, video: m.t, handed, heard: handed !== null && out.playoutDelayMs !== null ? handed + out.playoutDelayMs : null, deliveries: best ? best.times.length : 0 });
      }
    };
    // What the output device adds after a sample is handed over: Chromium's own per-sample estimate (media-playout
    // stats, totalPlayoutDelay / totalSamplesCount), over the last second.
    out.playoutDelayMs = null;
    let counted = null;
    const pollPlayout = async () => {
      (await window.livehost.pc.getStats()).forEach(s => {
        if (s.type !== 'media-playout' || !s.totalSamplesCount) return;
        const n = s.totalSamplesCount - (counted ? counted.n : 0);
        if (n > 0) out.playoutDelayMs = 1000 * (s.totalPlayoutDelay - (counted ? counted.d : 0)) / n;
        counted = { d: s.totalPlayoutDelay, n: s.totalSamplesCount };
      });
    };
    await pollPlayout();
    out.playoutPolling = setInterval(pollPlayout, 1000);
    out.polling = setInterval(() => {
      const s = receiver.getSynchronizationSources()[0];
      if (!s || s.timestamp === last) return;
      last = s.timestamp;
      const t = s.timestamp > 1e12 ? s.timestamp - performance.timeOrigin : s.timestamp;
      // How far each new RTP timestamp is past the previous one (480: a 10 ms frame; 960: a packet), for the report.
      if (out.lastRtp !== undefined && s.rtpTimestamp !== out.lastRtp) { const step = (s.rtpTimestamp - out.lastRtp) | 0; out.rtpSteps[step] = (out.rtpSteps[step] || 0) + 1; }
      out.lastRtp = s.rtpTimestamp;
      const times = seen.get(s.rtpTimestamp);
      if (times) times.push(t); else seen.set(s.rtpTimestamp, [t]);
      if (seen.size > 400) seen.delete(seen.keys().next().value);
      resolve(s.rtpTimestamp);
    }, 2);
  }

  const worklet = `
    class Detector extends AudioWorkletProcessor {
      constructor() { super(); this.last = -1e9; this.w = 2 * Math.PI * {{Frequency}} / sampleRate; this.peak = 0; this.blocks = 0; }
      process(inputs, outputs) {
        const input = inputs[0], output = outputs[0];
        for (let c = 0; c < output.length; c++) if (input[c] || input[0]) output[c].set(input[c] || input[0]);
        const x = input[0];
        if (++this.blocks % 375 === 0) { this.port.postMessage({ peak: this.peak, blocks: this.blocks }); this.peak = 0; }
        if (!x) return true;
        for (let h = 0; h + 64 <= x.length; h += 64) {
          let re = 0, im = 0;
          for (let i = 0; i < 64; i++) { const p = this.w * (currentFrame + h + i); re += x[h + i] * Math.cos(p); im += x[h + i] * Math.sin(p); }
          const amplitude = 2 * Math.sqrt(re * re + im * im) / 64;
          this.peak = Math.max(this.peak, amplitude);
          const t = (currentFrame + h) / sampleRate;
          if (amplitude > {{ThresholdText}} && t - this.last > 0.5) { this.last = t; this.port.postMessage({ contextTime: t, amplitude }); }
        }
        return true;
      }
    }
    registerProcessor('livehost-avsync', Detector);`;
  const ctx = new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' });
  await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([worklet], { type: 'application/javascript' })));
  const node = new AudioWorkletNode(ctx, 'livehost-avsync', { outputChannelCount: [2] });
  // Chromium gives a MediaElementAudioSourceNode silence for a remote WebRTC stream, so the stream itself is tapped:
  // the same decoded audio (NetEq's output, after its jitter buffer and lip-sync delay) the element plays. The tap
  // goes to a muted gain so it is pulled in real time without being heard twice.
  const source = ctx.createMediaStreamSource(video.srcObject);
  out.source = 'stream';
  const sink = ctx.createGain();
  sink.gain.value = 0;
  source.connect(node).connect(sink).connect(ctx.destination);
  node.port.onmessage = e => {
    if (e.data.peak !== undefined) { out.peak = e.data.peak; out.blocks = e.data.blocks; return; }
    const ts = ctx.getOutputTimestamp();
    out.audio.push({ t: ts.performanceTime + (e.data.contextTime - ts.contextTime) * 1000, amplitude: e.data.amplitude });
  };
  // Calibration of the tap: a local tone burst, scheduled at a known context time, goes out through a
  // MediaStreamAudioDestinationNode and back in through createMediaStreamSource and the same detector. The context
  // time it is detected at, less the time it was scheduled for, is what a stream source node's buffering adds to
  // the received audio (ms; the tap's onsets are late by about that much).
  const osc = ctx.createOscillator();
  osc.frequency.value = {{Frequency}};
  const gate = ctx.createGain();
  gate.gain.value = 0;
  const loopOut = ctx.createMediaStreamDestination();
  osc.connect(gate).connect(loopOut);
  osc.start();
  const probe = new AudioWorkletNode(ctx, 'livehost-avsync', { outputChannelCount: [2] });
  ctx.createMediaStreamSource(loopOut.stream).connect(probe).connect(sink);
  let scheduled = [];
  probe.port.onmessage = e => {
    if (e.data.peak !== undefined) return;
    const at = scheduled.filter(s => s <= e.data.contextTime + 0.005).pop();
    if (at !== undefined && e.data.contextTime - at < 0.5) { out.calibration.push(1000 * (e.data.contextTime - at)); scheduled = scheduled.filter(s => s > at); }
  };
  const burst = () => {
    const at = ctx.currentTime + 0.1;
    gate.gain.setValueAtTime({{Amplitude}}, at);
    gate.gain.setValueAtTime(0, at + 0.02);
    scheduled.push(at);
  };
  out.calibrating = setInterval(burst, 1000);
  await ctx.resume();
  out.contextState = ctx.state;
  out.context = ctx;
  return out.source;
}
""";

    /// <summary>
    /// Takes (and clears) the marker frames, onsets, tap calibrations and delivered sounds so far, as JSON:
    /// { video: [{value, t}], audio: [{t, amplitude}], calibration: [ms], delivered: [{value, video, audio, deliveries}],
    /// ... }, with the tap context's <c>outputLatency</c> and <c>baseLatency</c> and how far its output timestamp trails
    /// now (<c>outputLagMs</c>: performance.now() less getOutputTimestamp().performanceTime).
    /// </summary>
    public const string Take = """
() => {
  const out = window.__avsync;
  const ts = out.context ? out.context.getOutputTimestamp() : null;
  const taken = { video: out.video, audio: out.audio, calibration: out.calibration, delivered: out.delivered, callbacks: out.callbacks, undecodable: out.undecodable, source: out.source, contextState: out.contextState, peak: out.peak, blocks: out.blocks,
    outputLatency: out.context ? out.context.outputLatency * 1000 : null, baseLatency: out.context ? out.context.baseLatency * 1000 : null,
    outputLagMs: ts ? performance.now() - ts.performanceTime : null, playoutDelayMs: out.playoutDelayMs };
  out.video = []; out.audio = []; out.calibration = []; out.delivered = [];
  return JSON.stringify(taken);
}
""";
}
