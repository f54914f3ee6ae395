using LiveHost.ControlPlane.Capacity;

namespace LiveHost.Host.Capacity;

/// <summary>One running room over one window, as measured.</summary>
/// <param name="PixelRate">Width x height x fps: what its encode costs scale with.</param>
/// <param name="PacketsPerSecond">RTP packets its WebRTC stream wrote per second (what each viewer is sent); 0 when unknown.</param>
/// <param name="RenderCores">CPU its own drawing took on the tick thread, in cores; null before a window was measured.</param>
public sealed record RoomSample(string Room, string Kind, double PixelRate, int Viewers, double PacketsPerSecond, double? RenderCores);

/// <summary>What one window measured across the machine (CPU in cores; null before the first window).</summary>
public sealed record MachineSample(
    DateTimeOffset? SampledAt, double WindowSeconds, int Cores, double? MachineCores, double? ProcessCores, double? InferenceCores);

/// <summary>
/// Turns a window's measurements into a <see cref="CapacityReport"/>. How a room's CPU is made:
/// <list type="number">
/// <item>its drawing, measured on its own tick thread (CLOCK_THREAD_CPUTIME_ID around each frame's compose);</item>
/// <item>the ONNX runner threads' CPU (<c>onnx-*</c>), shared among the rooms that use a model (realistic, lip-synced)
/// by pixel rate;</item>
/// <item>the rest of this process and its ffmpeg children (x264, AAC, Opus, outputs, the runtime), less what the viewers
/// cost, shared among all rooms by pixel rate (the encode, the bulk of it, scales with pixels).</item>
/// </list>
/// A viewer costs its room's packet rate times <see cref="CapacityOptions.ViewerMicrosecondsPerPacket"/>. What fits is
/// the target share of the machine's cores less what the machine uses (all processes, or this one if more), divided by
/// the cost of one more room of a kind (the mean of those running) or one more viewer.
/// </summary>
public static class CapacityEstimate
{
    public static CapacityReport From(MachineSample machine, IReadOnlyList<RoomSample> rooms, CapacityOptions options)
    {
        var perViewerByRoom = rooms.Select(r => (r.PacketsPerSecond > 0 ? r.PacketsPerSecond : options.DefaultViewerPacketsPerSecond) * options.ViewerMicrosecondsPerPacket / 1e6).ToArray();
        var viewerCores = rooms.Select((r, i) => r.Viewers * perViewerByRoom[i]).Sum();
        var cpuPerViewer = perViewerByRoom.Length > 0 ? perViewerByRoom.Average() : options.DefaultViewerPacketsPerSecond * options.ViewerMicrosecondsPerPacket / 1e6;
        var roomCores = RoomCores(machine, rooms, viewerCores);

        double? used = machine.ProcessCores is { } process ? Math.Max(process, machine.MachineCores ?? 0) : null;
        double? free = used is { } u ? machine.Cores * options.TargetCpuPercent / 100 - u : null;
        var kinds = RoomKinds.All.Select(kind =>
        {
            var costs = rooms.Select((r, i) => (r, i)).Where(x => x.r.Kind == kind && roomCores[x.i] is not null).Select(x => roomCores[x.i]!.Value).ToArray();
            double? cost = costs.Length > 0 ? costs.Average() : null;
            return new RoomKindCapacity(kind, rooms.Count(r => r.Kind == kind), cost, Fit(free, cost));
        }).ToArray();
        return new CapacityReport(
            machine.SampledAt, machine.WindowSeconds, machine.Cores, options.TargetCpuPercent, machine.MachineCores, machine.ProcessCores, free,
            rooms.Count, rooms.Sum(r => r.Viewers), cpuPerViewer, Fit(free, cpuPerViewer), kinds,
            [.. rooms.Select((r, i) => new RoomCapacity(r.Room, r.Kind, r.Viewers, roomCores[i], r.RenderCores))]);
    }

    /// <summary>Whole units of <paramref name="cost"/> that fit in <paramref name="free"/> cores (0 past the target); null when either is unknown.</summary>
    public static int? Fit(double? free, double? cost) =>
        free is not { } f || cost is not { } c || c <= 0 ? null : (int)Math.Min(int.MaxValue, Math.Floor(Math.Max(0, f) / c));

    private static double?[] RoomCores(MachineSample machine, IReadOnlyList<RoomSample> rooms, double viewerCores)
    {
        var result = new double?[rooms.Count];
        if (machine.ProcessCores is not { } process || rooms.Any(r => r.RenderCores is null)) return result;
        var render = rooms.Sum(r => r.RenderCores!.Value);
        var modelRooms = rooms.Where(r => r.Kind != RoomKinds.Cartoon).ToArray();
        var inference = modelRooms.Length > 0 ? machine.InferenceCores ?? 0 : 0;
        var shared = Math.Max(0, process - render - inference - viewerCores);
        var pixels = rooms.Sum(r => r.PixelRate);
        var modelPixels = modelRooms.Sum(r => r.PixelRate);
        for (var i = 0; i < rooms.Count; i++)
        {
            var room = rooms[i];
            var share = pixels > 0 ? room.PixelRate / pixels : 1.0 / rooms.Count;
            var modelShare = room.Kind != RoomKinds.Cartoon && modelPixels > 0 ? room.PixelRate / modelPixels : 0;
            result[i] = room.RenderCores!.Value + shared * share + inference * modelShare;
        }
        return result;
    }
}
