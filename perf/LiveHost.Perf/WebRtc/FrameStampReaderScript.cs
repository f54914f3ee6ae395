namespace LiveHost.Perf.WebRtc;

/// <summary>
/// The page side of the glass-to-glass benchmark, evaluated in the /watch page once it has loaded. On every frame the
/// video element presents (<c>requestVideoFrameCallback</c>), it copies the frame-stamp corner into a canvas, decodes
/// the index the server drew (<see cref="LiveHost.Avatars.FrameStampOverlay"/>: marker columns white/white and
/// black/black, then 24 bits MSB first, each over its inverse), and records it with the presentation times as Unix ms.
/// </summary>
public static class FrameStampReaderScript
{
    public const string Install = """
() => {
  const video = document.getElementById('video');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const COLUMNS = 26, BITS = 24;
  const out = window.__g2g = { records: [], callbacks: 0, undecodable: 0, missedPresentations: 0, lastPresented: 0 };
  const onFrame = (now, md) => {
    const wall = Date.now();
    // performance.timeOrigin drifts from the wall clock over a page's life; re-anchor the performance clock now.
    const perfToUnix = wall - performance.now();
    out.callbacks++;
    if (out.lastPresented && md.presentedFrames > out.lastPresented + 1) out.missedPresentations += md.presentedFrames - out.lastPresented - 1;
    out.lastPresented = md.presentedFrames;
    const w = video.videoWidth, h = video.videoHeight;
    const block = Math.min(16, Math.max(4, Math.floor(Math.floor(w / (COLUMNS + 6)) / 2) * 2));
    const left = block, top = h - 3 * block, cw = COLUMNS * block, ch = 2 * block;
    if (canvas.width !== cw || canvas.height !== ch) { canvas.width = cw; canvas.height = ch; }
    ctx.drawImage(video, left, top, cw, ch, 0, 0, cw, ch);
    const px = ctx.getImageData(0, 0, cw, ch).data;
    const luma = (col, row) => {
      let sum = 0, n = 0;
      const q = block / 4;
      for (let y = row * block + q; y < row * block + block - q; y++)
        for (let x = col * block + q; x < col * block + block - q; x++) {
          const i = (y * cw + x) * 4;
          sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2]; n++;
        }
      return sum / n;
    };
    let value = -1;
    if (luma(0, 0) > 160 && luma(0, 1) > 160 && luma(1, 0) < 96 && luma(1, 1) < 96) {
      value = 0;
      for (let b = 0; b < BITS; b++) {
        const t = luma(2 + b, 0), u = luma(2 + b, 1);
        if (Math.abs(t - u) < 64) { value = -1; break; }
        value = value * 2 + (t > u ? 1 : 0);
      }
    }
    if (value < 0) out.undecodable++;
    out.records.push({
      value, callbackUnixMs: wall,
      expectedDisplayUnixMs: perfToUnix + md.expectedDisplayTime,
      receiveUnixMs: md.receiveTime !== undefined ? perfToUnix + md.receiveTime : null,
      presentedFrames: md.presentedFrames, width: w, height: h });
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
