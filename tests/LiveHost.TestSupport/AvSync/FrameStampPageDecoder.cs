namespace LiveHost.TestSupport.AvSync;

/// <summary>
/// Page-side (JavaScript) decoder of the frame stamp (<c>LiveHost.Avatars.FrameStampOverlay</c>: marker columns
/// white/white and black/black, then 24 bits MSB first, each over its inverse), shared by the glass-to-glass and A/V
/// sync readers. Defines <c>makeStampDecoder(video)</c>, which returns a function giving the presented frame's index,
/// or -1 when the corner does not decode.
/// </summary>
public static class FrameStampPageDecoder
{
    public const string Function = """
const makeStampDecoder = video => {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const COLUMNS = 26, BITS = 24;
  return () => {
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
    if (!(luma(0, 0) > 160 && luma(0, 1) > 160 && luma(1, 0) < 96 && luma(1, 1) < 96)) return -1;
    let value = 0;
    for (let b = 0; b < BITS; b++) {
      const t = luma(2 + b, 0), u = luma(2 + b, 1);
      if (Math.abs(t - u) < 64) return -1;
      value = value * 2 + (t > u ? 1 : 0);
    }
    return value;
  };
};
""";
}
