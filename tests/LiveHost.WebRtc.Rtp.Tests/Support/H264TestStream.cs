using System.Buffers.Binary;
using LiveHost.TestSupport;

namespace LiveHost.WebRtc.Rtp.Tests.Support;

/// <summary>
/// One second of real H.264 made by ffmpeg/libx264 (baseline, with access unit delimiters and x264's SEI), split
/// from Annex B into AVCC access units as LiveHost's encoder hands them out, in-band SPS/PPS left in as x264 wrote them.
/// </summary>
public sealed class H264TestStream : IAsyncLifetime
{
    public byte[] Sps { get; private set; } = [];
    public byte[] Pps { get; private set; } = [];
    public List<AccessUnit> AccessUnits { get; } = [];

    public sealed record AccessUnit(bool IsKeyframe, List<byte[]> NalUnits)
    {
        public byte[] ToAvcc(Func<byte[], bool>? keep = null)
        {
            var units = NalUnits.Where(n => keep?.Invoke(n) ?? true).ToList();
            var avcc = new byte[units.Sum(u => 4 + u.Length)];
            var offset = 0;
            foreach (var unit in units)
            {
                BinaryPrimitives.WriteInt32BigEndian(avcc.AsSpan(offset), unit.Length);
                unit.CopyTo(avcc, offset + 4);
                offset += 4 + unit.Length;
            }
            return avcc;
        }
    }

    public async Task InitializeAsync()
    {
        var (exitCode, annexB, stderr) = await FfmpegTools.RunAsync(
            "ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "1",
             "-c:v", "libx264", "-profile:v", "baseline", "-x264-params", "aud=1", "-g", "12", "-pix_fmt", "yuv420p",
             "-threads", "1", "-bsf:v", "h264_mp4toannexb", "-f", "h264", "-"],
            TimeSpan.FromSeconds(30));
        if (exitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {stderr}");

        List<byte[]>? current = null;
        var currentHasSlice = false;
        foreach (var segment in AnnexBReader.SplitNalUnits(annexB))
        {
            if (segment.Count == 0) continue;
            var nal = segment.ToArray();
            var type = nal[0] & 0x1F;
            var firstSliceOfPicture = type is 1 or 5 && (nal[1] & 0x80) != 0;
            if (type == 9 || current is null || (firstSliceOfPicture && currentHasSlice))
            {
                current = [];
                currentHasSlice = false;
                AccessUnits.Add(new AccessUnit(false, current));
            }
            if (type == 7 && Sps.Length == 0) Sps = nal;
            if (type == 8 && Pps.Length == 0) Pps = nal;
            current.Add(nal);
            if (type is 1 or 5) currentHasSlice = true;
        }
        for (var i = 0; i < AccessUnits.Count; i++)
        {
            AccessUnits[i] = AccessUnits[i] with { IsKeyframe = AccessUnits[i].NalUnits.Any(n => (n[0] & 0x1F) == 5) };
        }
        if (Sps.Length == 0 || Pps.Length == 0) throw new InvalidDataException("no SPS/PPS in ffmpeg's output");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
