using LiveHost.TestSupport.AvSync;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// The page side of the glass-to-glass benchmark, evaluated in the /watch page once it has loaded. On every frame the
/// video element presents (<c>requestVideoFrameCallback</c>), it decodes the index the server drew into the
/// frame-stamp corner (<see cref="FrameStampPageDecoder"/>) and records it with the presentation times as Unix ms.
/// </summary>
public static class FrameStampReaderScript
{
    public const string Install = $$"""
() => {
  {{FrameStampPageDecoder.Function}}
  const video = document.getElementById('video');
  const decode = makeStampDecoder(video);
  const out = window.__g2g = { records: [], callbacks: 0, undecodable: 0, missedPresentations: 0, lastPresented: 0 };
  const onFrame = (now, md) => {
    const wall = Date.now();
    // performance.timeOrigin drifts from the wall clock over a page's life; re-anchor the performance clock now.
    const perfToUnix = wall - performance.now();
    out.callbacks++;
    if (out.lastPresented && md.presentedFrames > out.lastPresented + 1) out.missedPresentations += md.presentedFrames - out.lastPresented - 1;
    out.lastPresented = md.presentedFrames;
    const value = decode();
    if (value < 0) out.undecodable++;
    out.records.push({
      value, callbackUnixMs: wall,
      expectedDisplayUnixMs: perfToUnix + md.expectedDisplayTime,
      receiveUnixMs: md.receiveTime !== undefined ? perfToUnix + md.receiveTime : null,
      presentedFrames: md.presentedFrames, width: video.videoWidth, height: video.videoHeight });
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  return !!video;
}
""";

    /// <summary>Takes the records so far (and clears them), with the page's counters.</summary>
    public const string Take = """
async () => {
  const out = window.__g2g;
  const records = out.records; out.records = [];
  const stats = window.livehost ? await window.livehost.stats() : null;
  return JSON.stringify({ records, callbacks: out.callbacks, undecodable: out.undecodable, missedPresentations: out.missedPresentations, stats, error: window.livehost ? window.livehost.error : 'no window.livehost' });
}
""";
}
