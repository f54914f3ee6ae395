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
using LiveHost.Inference;
using LiveHost.Inference.Onnx;

// Composition root: every long-lived object is built here and handed to its users.
var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
var services = builder.Services;

var settings = LiveHostSettings.Load(configuration);
var engineOptions = settings.Engine;
var roomOptions = settings.Rooms;
var dataDirectory = settings.DataDirectory;

services.AddSingleton(TimeProvider.System);
services.AddSingleton(engineOptions);
services.Configure<SpeechOptions>(configuration.GetSection(SpeechOptions.SectionName));
services.AddSingleton<ISpeechSynthesizer, EspeakSynthesizer>();
services.AddSingleton<ILineStore>(_ => new SqliteLineStore(Path.Combine(dataDirectory, "livehost.db")));
services.AddSingleton(sp =>
{
    var registry = new RoomRegistry();
    var rooms = roomOptions.Select(pair => new LiveRoom(pair.Key, pair.Value, sp.GetRequiredService<ILineStore>(),
        sp.GetRequiredService<ISpeechSynthesizer>(), sp.GetRequiredService<IRoomEventSink>(), engineOptions,
        sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WebRtcService>(),
        sp.GetRequiredService<IAvatarFactory>(), settings.Encoder)).ToArray();
    foreach (var room in rooms) registry.Add(room.Controller);
    return new LiveRooms(rooms, registry);
});
services.AddSingleton<IRoomRegistry>(sp => sp.GetRequiredService<LiveRooms>().Registry);
services.AddHostedService(sp => sp.GetRequiredService<LiveRooms>());
services.Configure<InferenceOptions>(configuration.GetSection(InferenceOptions.SectionName));
services.AddSingleton<OnnxModelHost>();
services.AddLiveHostAvatars(settings.Avatars);
services.AddSingleton<IRoomOutputs, RoomOutputs>();
services.AddSingleton(settings.WebRtc);
services.AddSingleton(sp => new WebRtcService(settings.WebRtc, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
services.AddSingleton<IWhepSessions, WhepSessions>();
services.AddSingleton<IEngineHealth, EngineHealth>();
services.AddLiveHostControlPlane(configuration);

services.AddSingleton<RoomMetricsCollector>();

var app = builder.Build();
try
{
    // Resolving the rooms loads their avatar packages: a refused one ends the start here, before hosting logs it.
    app.Services.GetRequiredService<RoomMetricsCollector>();
}
// Only when this is the process (not a test host running Program in-process, which must see the exception).
catch (Exception e) when (AvatarStartupRefusal.Find(e) is { } refused && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    Console.Error.WriteLine(AvatarStartupRefusal.Line(refused));
    return AvatarStartupRefusal.ExitCode;
}
app.MapLiveHostControlPlane();
app.Run();
return 0;
public partial class Program;
