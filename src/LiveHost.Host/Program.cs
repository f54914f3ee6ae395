using LiveHost.ControlPlane;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Configuration;
using LiveHost.Host.Health;
using LiveHost.Host.Metrics;
using LiveHost.Host.WebRtc;
using LiveHost.WebRtc;
using LiveHost.Host.Outputs;
using LiveHost.Host.Rooms;
using LiveHost.Speech;
using Microsoft.Extensions.Options;
using LiveHost.Host.Avatars;
using LiveHost.Host.Cluster;
using LiveHost.Inference;
using LiveHost.Inference.Onnx;

// Composition root: every long-lived object is built here and handed to its users.
// Paths and the listening address do not depend on the working directory (see LiveHostPaths, ListenAddress).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = LiveHostPaths.DefaultContentRoot(args, Environment.GetEnvironmentVariable),
});
var configuration = builder.Configuration;
var services = builder.Services;
if (ListenAddress.NoneConfigured(configuration)) builder.WebHost.UseUrls(ListenAddress.Default);

var paths = LiveHostPaths.Discover(AppContext.BaseDirectory, builder.Environment.ContentRootPath);
var settings = LiveHostSettings.Load(configuration, paths);
var engineOptions = settings.Engine;
var roomOptions = settings.Rooms;
var dataDirectory = settings.DataDirectory;

ThreadPoolFloor.Raise(engineOptions.MinThreadPoolThreads);

services.AddSingleton(TimeProvider.System);
services.AddSingleton(engineOptions);
services.Configure<SpeechOptions>(configuration.GetSection(SpeechOptions.SectionName));
// Voices (issue 12): espeak-ng and Flite in process, and the speech servers of Speech:Voices, behind one synthesizer.
services.AddSingleton<EspeakSynthesizer>();
services.AddSingleton(sp => new FliteSynthesizer(sp.GetRequiredService<ILogger<FliteSynthesizer>>()));
services.AddSingleton(sp => new SpeechVoices(settings.Speech, sp.GetRequiredService<EspeakSynthesizer>(), sp.GetRequiredService<FliteSynthesizer>(),
    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
services.AddSingleton<ISpeechSynthesizer>(sp => sp.GetRequiredService<SpeechVoices>());
services.AddSingleton(sp => new LiveHost.Host.Metrics.SpeechProviderMetrics(sp.GetRequiredService<LiveHost.ControlPlane.LiveHostMetrics>(),
    sp.GetRequiredService<SpeechVoices>(), settings.Speech));
services.AddLiveHostStorage(dataDirectory, settings.Storage);
services.AddLiveHostShow(engineOptions);
// Moderation before air (issue 11): the term lists from the storage provider, each room's mode from Rooms:{room}:Moderation:Mode.
// Rooms made at run time by an admin (PUT /api/rooms/{room}) come back from {data}/rooms.json; the configuration wins a name.
var runtimeRooms = new RuntimeRoomStore(dataDirectory);
var allRooms = roomOptions.Concat(runtimeRooms.Load().Where(pair => !roomOptions.ContainsKey(pair.Key))).ToArray();
var moderationModes = new System.Collections.Concurrent.ConcurrentDictionary<string, LiveHost.Engine.Moderation.ModerationMode>(
    allRooms.ToDictionary(pair => pair.Key, pair => pair.Value.Moderation.Mode), StringComparer.Ordinal);
services.AddSingleton(sp => new LiveHost.Engine.Moderation.ModerationPolicy(sp.GetRequiredService<LiveHost.Engine.Moderation.IModerationTermStore>(),
    moderationModes));
services.AddSingleton<LiveHost.Engine.Moderation.ILinePolicy>(sp => sp.GetRequiredService<LiveHost.Engine.Moderation.ModerationPolicy>());
// Several nodes (issue 15 point 2): with Cluster:Redis set no room starts with the process; each is taken under a lease
// by the node placement gives it (LiveHost.Host.Cluster.ClusterRoomHost). Without it every room runs here, as before.
var cluster = LiveHost.Host.Cluster.ClusterStartup.Load(configuration, settings.Storage);
if (cluster is not null)
{
    services.AddLiveHostCluster(cluster, allRooms.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal), BuildRoom, moderationModes);
}
services.AddSingleton(sp =>
{
    var registry = new RoomRegistry();
    var rooms = cluster is not null ? [] : allRooms.Select(pair => BuildRoom(sp, pair.Key, pair.Value)).ToArray();
    foreach (var room in rooms) registry.Add(room.Controller);
    return new LiveRooms(rooms, registry);
});
services.AddSingleton<IRoomRegistry>(sp => sp.GetRequiredService<LiveRooms>().Registry);
// In a cluster, rooms made at run time live in the shared store and are placed (AddLiveHostCluster's IRoomAdmin).
if (cluster is null) services.AddSingleton<IRoomAdmin>(sp => new RoomAdmin(sp.GetRequiredService<LiveRooms>(), (name, options) => BuildRoom(sp, name, options), runtimeRooms,
    configuration.GetSection(RoomAdminOptions.SectionName).Get<RoomAdminOptions>() ?? new RoomAdminOptions(), [.. roomOptions.Keys], moderationModes,
    sp.GetRequiredService<WebRtcService>(), sp.GetRequiredService<LiveHost.Engine.Show.ShowLibrary>(), sp.GetService<AvatarFactory>(),
    sp.GetRequiredService<LiveHost.Host.Capacity.CapacityMonitor>()));
services.AddHostedService(sp => sp.GetRequiredService<LiveRooms>());
services.AddSingleton(Options.Create(settings.Inference));
services.AddSingleton<OnnxModelHost>();
services.AddLiveHostAvatars(settings.Avatars);
// In a cluster, the cluster's outputs (AddLiveHostCluster) keep run-time outputs in the shared store as well.
if (cluster is null) services.AddSingleton<IRoomOutputs, RoomOutputs>();
services.AddSingleton<LiveHost.ControlPlane.Recordings.IRoomRecordings, LiveHost.Host.Recordings.RoomRecordings>();
services.AddSingleton(settings.WebRtc);
services.AddSingleton(sp => new WebRtcService(settings.WebRtc, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
services.AddSingleton<IWhepSessions, WhepSessions>();
services.AddSingleton<IEngineHealth, EngineHealth>();
// Registered before the control plane's own sink (a TryAdd), so finished lines are counted on their way to the hub.
services.AddSingleton<IRoomEventSink>(sp => new MeteredRoomEventSink(sp.GetRequiredService<HubRoomEventSink>(), sp.GetRequiredService<LiveHostMetrics>()));
services.AddLiveHostControlPlane(configuration);
services.PostConfigure<StorageOptions>(storage => storage.DataDirectory = dataDirectory);

services.AddSingleton<RoomMetricsCollector>();
// Capacity (issue 14): what rooms and viewers cost, how many more fit under Capacity:TargetCpuPercent.
var capacityOptions = configuration.GetSection(LiveHost.Host.Capacity.CapacityOptions.SectionName).Get<LiveHost.Host.Capacity.CapacityOptions>() ?? new();
if (capacityOptions.Validate() is { Count: > 0 } capacityErrors) throw new InvalidOperationException(string.Join(" ", capacityErrors));
services.AddSingleton(capacityOptions);
services.AddSingleton(sp => new LiveHost.Host.Capacity.CapacityMonitor(sp.GetRequiredService<LiveRooms>(), sp.GetRequiredService<LiveHostMetrics>(),
    capacityOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LiveHost.Host.Capacity.CapacityMonitor>>(), sp.GetRequiredService<WebRtcService>()));
services.AddSingleton<LiveHost.ControlPlane.Capacity.IHostCapacity>(sp => sp.GetRequiredService<LiveHost.Host.Capacity.CapacityMonitor>());
services.AddHostedService(sp => sp.GetRequiredService<LiveHost.Host.Capacity.CapacityMonitor>());

var app = builder.Build();
if (!app.Services.TryOpenStorage()) return StorageUnusableException.ExitCode;
try
{
    // Resolving the rooms loads their avatar packages: a refused one ends the start here, before hosting logs it.
    app.Services.GetRequiredService<RoomMetricsCollector>();
    app.Services.GetRequiredService<LiveHost.Host.Metrics.SpeechProviderMetrics>();
}
// Only when this is the process (not a test host running Program in-process, which must see the exception).
catch (Exception e) when (AvatarStartupRefusal.Find(e) is { } refused && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    Console.Error.WriteLine(AvatarStartupRefusal.Line(refused));
    return AvatarStartupRefusal.ExitCode;
}
app.UseLiveHostErrorResponses();
app.MapLiveHostControlPlane();
app.Run();
return 0;

// One room with every part it needs: the rooms of the configuration at start, and those an admin makes at run time.
LiveRoom BuildRoom(IServiceProvider sp, string name, LiveHost.Engine.Options.RoomOptions options) => new(name, options, sp.GetRequiredService<StorageJournal>(),
    sp.GetRequiredService<ISpeechSynthesizer>(), sp.GetRequiredService<IRoomEventSink>(), engineOptions,
    sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WebRtcService>(),
    sp.GetRequiredService<IAvatarFactory>(), settings.Encoder,
    settings.Rtmp with { Addresses = new LiveHost.Rtmp.Network.OutputAddressPolicy(settings.Outputs) },
    sp.GetRequiredService<LiveHost.Engine.Show.ShowLibrary>(),
    sp.GetRequiredService<LiveHost.Engine.Moderation.ILinePolicy>(), dataDirectory);

public partial class Program;
