using LiveHost.Encoding;
using LiveHost.Engine.Options;
using LiveHost.Host.Avatars;
using LiveHost.Inference;
using LiveHost.Rtmp;
using LiveHost.Rtmp.Network;
using LiveHost.Speech;
using LiveHost.WebRtc;

namespace LiveHost.Host.Configuration;

/// <summary>
/// The host's settings, bound from configuration and checked as a whole before anything starts, so a typo in
/// appsettings.json stops the server at launch with every problem listed, not a room failing minutes later.
/// </summary>
public sealed record LiveHostSettings(
    EngineOptions Engine, IReadOnlyDictionary<string, RoomOptions> Rooms, SpeechOptions Speech, string DataDirectory, WebRtcOptions WebRtc)
{
    public const string DefaultRoom = "main";

    /// <summary>Section "Avatars": trusted consent keys, the revocation list, the viseme model.</summary>
    public AvatarHostOptions Avatars { get; init; } = new();

    /// <summary>Section "Storage" (besides DataDirectory): corrupt-database handling and the journal writer's retries.</summary>
    public JournalOptions Storage { get; init; } = new();

    /// <summary>Section "Encoder": how every room encodes (in-process or ffmpeg video, preset, bitrates).</summary>
    public EncoderOptions Encoder { get; init; } = new();

    /// <summary>Section "Outputs": which networks RTMP outputs may reach (public addresses only by default).</summary>
    public OutputNetworkOptions Outputs { get; init; } = new();

    /// <summary>Section "Rtmp": reconnect backoff, timeouts and queue of every RTMP output (Addresses comes from Outputs).</summary>
    public RtmpOutputOptions Rtmp { get; init; } = new();

    /// <summary>Section "Inference": where and how the ONNX models (viseme model, realistic avatars) run.</summary>
    public InferenceOptions Inference { get; init; } = new();

    /// <param name="paths">When given, relative paths in the settings are made absolute under its root (see <see cref="LiveHostPaths"/>).</param>
    public static LiveHostSettings Bind(IConfiguration configuration, LiveHostPaths? paths = null)
    {
        var engine = configuration.GetSection("Engine").Get<EngineOptions>() ?? new EngineOptions();
        var rooms = configuration.GetSection("Rooms").Get<Dictionary<string, RoomOptions>>() ?? [];
        if (rooms.Count == 0) rooms[DefaultRoom] = new RoomOptions();
        var speech = configuration.GetSection(SpeechOptions.SectionName).Get<SpeechOptions>() ?? new SpeechOptions();
        var data = configuration["Storage:DataDirectory"] ?? "data";
        var webRtc = configuration.GetSection(WebRtcOptions.SectionName).Get<WebRtcOptions>() ?? new WebRtcOptions();
        var avatars = configuration.GetSection(AvatarHostOptions.SectionName).Get<AvatarHostOptions>() ?? new AvatarHostOptions();
        var encoder = configuration.GetSection(EncoderOptions.SectionName).Get<EncoderOptions>() ?? new EncoderOptions();
        var outputs = configuration.GetSection(OutputNetworkOptions.SectionName).Get<OutputNetworkOptions>() ?? new OutputNetworkOptions();
        var storage = configuration.GetSection(JournalOptions.SectionName).Get<JournalOptions>() ?? new JournalOptions();
        var rtmp = configuration.GetSection(RtmpOutputOptions.SectionName).Get<RtmpOutputOptions>() ?? new RtmpOutputOptions();
        var inference = configuration.GetSection(InferenceOptions.SectionName).Get<InferenceOptions>() ?? new InferenceOptions();
        var settings = new LiveHostSettings(engine, rooms, speech, data, webRtc)
        {
            Avatars = avatars, Encoder = encoder, Outputs = outputs, Storage = storage, Rtmp = rtmp, Inference = inference,
        };
        return paths is null ? settings : settings.WithPathsUnder(paths);
    }

    /// <summary>Binds and validates; throws <see cref="InvalidConfigurationException"/> listing every problem.</summary>
    public static LiveHostSettings Load(IConfiguration configuration, LiveHostPaths? paths = null)
    {
        var settings = Bind(configuration, paths);
        var errors = settings.Validate();
        if (errors.Count > 0) throw new InvalidConfigurationException(errors);
        return settings;
    }

    /// <summary>The same settings with every relative file or folder path resolved under <paramref name="paths"/>.</summary>
    private LiveHostSettings WithPathsUnder(LiveHostPaths paths)
    {
        string? Resolve(string? path) => string.IsNullOrWhiteSpace(path) ? path : paths.Resolve(path);
        Avatars.VisemeModelPath = Resolve(Avatars.VisemeModelPath)!;
        Avatars.RevocationListPath = Resolve(Avatars.RevocationListPath);
        foreach (var keyId in Avatars.TrustedKeys.Keys.ToList()) Avatars.TrustedKeys[keyId] = Resolve(Avatars.TrustedKeys[keyId])!;
        foreach (var room in Rooms.Values)
        {
            if (!room.IsCartoon && !string.IsNullOrWhiteSpace(room.Avatar)) room.Avatar = paths.Resolve(room.Avatar);
        }
        Encoder.FfmpegFolder = Resolve(Encoder.FfmpegFolder);
        return this with { DataDirectory = string.IsNullOrWhiteSpace(DataDirectory) ? DataDirectory : paths.Resolve(DataDirectory) };
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(Engine.Validate());
        errors.AddRange(Storage.Validate());
        if (Storage.UsesPostgres && !string.IsNullOrWhiteSpace(Storage.ConnectionString)
            && LiveHost.Storage.Postgres.PostgresDatabase.ConnectionStringProblem(Storage.ConnectionString) is { } connection)
            errors.Add($"Storage:ConnectionString: {connection}.");
        errors.AddRange(Speech.Validate());
        errors.AddRange(WebRtc.Validate());
        errors.AddRange(Avatars.Validate(Rooms));
        if (Encoder.Validate() is { } encoderProblem) errors.Add($"{EncoderOptions.SectionName}: {encoderProblem}");
        if (Rtmp.Validate() is { } rtmpProblem) errors.Add($"{RtmpOutputOptions.SectionName}:{rtmpProblem}");
        errors.AddRange(Inference.Validate());
        if (string.IsNullOrWhiteSpace(DataDirectory)) errors.Add("Storage:DataDirectory must not be empty.");
        var outputErrors = Outputs.Validate();
        errors.AddRange(outputErrors);
        var addresses = outputErrors.Count == 0 ? new OutputAddressPolicy(Outputs) : null;
        foreach (var (name, room) in Rooms)
        {
            errors.AddRange(room.Validate(name));
            for (var i = 0; i < room.Outputs.Count; i++)
            {
                var url = room.Outputs[i].Url;
                if (string.IsNullOrWhiteSpace(url)) continue;
                var target = new global::LiveHost.Host.Outputs.OutputTarget(url, room.Outputs[i].TrustedCa, room.Outputs[i].Preset, room.Outputs[i].BearerToken);
                var encode = global::LiveHost.Host.Outputs.RoomEncodeProfile.Of(new(room.Width, room.Height, room.Fps), Encoder);
                var problems = global::LiveHost.Host.Outputs.OutputKinds.Validate(target, encode).ToList();
                errors.AddRange(problems.Select(p => $"Rooms:{name}:Outputs:{i}:{SettingOf(p)}: {p}"));
                // A literal address is checked now; a name is checked at every connect (its lastError says so).
                if (problems.Count == 0 && addresses is not null && global::LiveHost.Host.Outputs.OutputKinds.Host(url) is { } host
                    && System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var literal) && addresses.Check(host, literal) is { } refusal)
                    errors.Add($"Rooms:{name}:Outputs:{i}:Url: {refusal}");
            }
        }
        return errors;
    }

    // Which setting of a configured output a problem from OutputKinds.Validate is about.
    private static string SettingOf(string problem) =>
        problem.StartsWith("trustedCa", StringComparison.Ordinal) ? "TrustedCa" : problem.StartsWith("bearerToken", StringComparison.Ordinal) ? "BearerToken" : problem.Contains("preset", StringComparison.Ordinal) ? "Preset" : "Url";
}
