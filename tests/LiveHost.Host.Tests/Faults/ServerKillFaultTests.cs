using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Faults;

/// <summary>
/// The server process killed with SIGKILL (kill -9) while a paused room holds 20 lines, then started again on the
/// same data directory: the room is still paused with the same 20 lines in the same order, and after Resume each is
/// spoken and finishes exactly once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ServerKillFaultTests(ITestOutputHelper output)
{
    private const int Lines = 20;
    private const string ProducerKey = "fault-producer-key-0123456789";
    private const string SellerKey = "fault-seller-key-0123456789";
    private static readonly TimeSpan AllSpokenTimeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task Killing_the_server_with_20_lines_queued_in_a_paused_room_loses_none_keeps_it_paused_and_each_finishes_once_after_resume()
    {
        var data = Directory.CreateTempSubdirectory("livehost-kill-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = data,
            ["Rooms__main__Width"] = "320",
            ["Rooms__main__Height"] = "240",
            ["Auth__Keys__0__Key"] = ProducerKey,
            ["Auth__Keys__0__Role"] = "producer",
            ["Auth__Keys__0__Name"] = "fault producer",
            ["Auth__Keys__1__Key"] = SellerKey,
            ["Auth__Keys__1__Role"] = "seller",
            ["Auth__Keys__1__Name"] = "fault seller",
        };
        try
        {
            var accepted = new List<string>();
            await using (var first = await HostProcess.StartAsync(environment))
            {
                using var producer = first.Client(ProducerKey);
                using var seller = first.Client(SellerKey);
                var pause = await producer.PostAsync("/api/rooms/main/pause", null);
                Assert.True(pause.StatusCode == HttpStatusCode.OK, $"pause: {(int)pause.StatusCode} {await pause.Content.ReadAsStringAsync()}");
                for (var i = 1; i <= Lines; i++)
                {
                    var post = await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = $"Queued line {i} of twenty." });
                    Assert.True(post.StatusCode == HttpStatusCode.Accepted, $"line {i}: {(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
                    accepted.Add((await post.Content.ReadFromJsonAsync<LineTicket>())!.Id);
                }
                var before = (await seller.GetFromJsonAsync<RoomState>("/api/rooms/main"))!;
                Assert.True(before.Paused);
                Assert.Equal(accepted, before.Queue.Select(l => l.Id));

                await first.KillAsync();
                output.WriteLine($"server {first.Pid} killed with SIGKILL holding {accepted.Count} queued lines in a paused room");
            }

            await using var second = await HostProcess.StartAsync(environment);
            using var client = second.Client(ProducerKey);
            var after = (await client.GetFromJsonAsync<RoomState>("/api/rooms/main"))!;
            output.WriteLine($"after the restart: paused {after.Paused}, current {after.Current?.Id ?? "none"}, {after.Queue.Count} queued");
            // Paused must survive the restart (issue 9 point 11; the storage work persists it).
            Assert.True(after.Paused, $"the room is no longer paused after the restart; current {after.Current?.Id ?? "none"}, {after.Queue.Count} queued");
            Assert.Null(after.Current);
            Assert.Equal(accepted, after.Queue.Select(l => l.Id));

            var finished = Channel.CreateUnbounded<Line>();
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(second.BaseAddress, "/hubs/control"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(ProducerKey))
                .Build();
            hub.On<Line>("LineFinished", l => finished.Writer.TryWrite(l));
            await hub.StartAsync();

            var resume = await client.PostAsync("/api/rooms/main/resume", null);
            Assert.True(resume.StatusCode == HttpStatusCode.OK, $"resume: {(int)resume.StatusCode} {await resume.Content.ReadAsStringAsync()}");
            // A last line after the 20: events arrive in order, so by its LineFinished a repeated one would have shown.
            var last = await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "That was all twenty."));

            var seen = new ConcurrentDictionary<string, List<FinishReason?>>(StringComparer.Ordinal);
            using (var timeout = new CancellationTokenSource(AllSpokenTimeout))
            {
                while (true)
                {
                    var line = await finished.Reader.ReadAsync(timeout.Token);
                    seen.GetOrAdd(line.Id, _ => []).Add(line.Reason);
                    if (line.Id == last.Id) break;
                }
            }
            output.WriteLine($"finished after resume: {seen.Count} lines, {seen.Values.Sum(r => r.Count)} LineFinished events");
            Assert.All(accepted, id => Assert.True(seen.TryGetValue(id, out var reasons) && reasons.Count == 1,
                $"line {id} finished {(seen.TryGetValue(id, out var r) ? r.Count : 0)} times"));
            Assert.All(accepted, id => Assert.Equal(FinishReason.Completed, seen[id][0]));
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
