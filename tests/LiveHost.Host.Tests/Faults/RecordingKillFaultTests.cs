using System.Net.Http.Json;
using LiveHost.ControlPlane.Recordings;
using LiveHost.Host.Tests.Recordings;
using LiveHost.TestSupport;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Faults;

/// <summary>The server recording from its start (Rooms:main:Recording:Enabled) killed with SIGKILL: the file it was writing still plays.</summary>
[Collection(FaultCollection.Name)]
public sealed class RecordingKillFaultTests(ITestOutputHelper output)
{
    private const string AdminKey = "rec-kill-admin-key-0123456789";

    [Fact]
    public async Task A_recording_cut_by_kill_9_of_the_server_plays_every_fragment_it_had_written()
    {
        var data = Directory.CreateTempSubdirectory("livehost-rec-kill-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data,
                ["Rooms__main__Width"] = "320",
                ["Rooms__main__Height"] = "240",
                ["Rooms__main__Recording__Enabled"] = "true",
                ["Rooms__main__Recording__MinFreeDiskMb"] = "64",
                ["Auth__Keys__0__Key"] = AdminKey,
                ["Auth__Keys__0__Role"] = "admin",
            };
            RecordingFile listed;
            string path;
            await using (var server = await HostProcess.StartAsync(environment))
            {
                using var admin = server.Client(AdminKey);
                listed = await RecordingProbe.WaitForCurrentFileAsync(admin, seconds: 3, TimeSpan.FromSeconds(60));
                await server.KillAsync();
                path = Path.Combine(data, "recordings", "main", listed.Name);
                output.WriteLine($"killed server {server.Pid} while it wrote {listed.Name} ({listed.DurationSeconds:0.00} s listed, {new FileInfo(path).Length} bytes on disk)");
            }

            var probe = await FfmpegTools.ProbeAsync(path, TimeSpan.FromSeconds(30));
            Assert.Equal("h264", probe.Video?.CodecName);
            Assert.Equal("aac", probe.Audio?.CodecName);
            Assert.True(probe.FormatTags.ContainsKey("AIGC"), probe.Json);
            var pictures = await RecordingProbe.DecodedPicturesAsync(path, cut: true);
            output.WriteLine($"{pictures} pictures decoded, ffprobe duration {RecordingProbe.FormatDuration(probe):0.00} s");
            // At least what the API had listed before the kill (whole fragments only) plays back.
            Assert.True(pictures >= (int)(listed.DurationSeconds * 25), $"{pictures} pictures decoded, {listed.DurationSeconds} s were listed before the kill");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
