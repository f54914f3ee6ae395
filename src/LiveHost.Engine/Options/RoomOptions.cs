namespace LiveHost.Engine.Options;

/// <summary>One room, bound from <c>Rooms:{name}</c>. Defaults are the embedded default's.</summary>
public sealed class RoomOptions
{
    /// <summary>Default language of lines that name none, and of the on-screen label: "en" or "zh".</summary>
    public string Language { get; set; } = "en";

    /// <summary><c>Rooms:{room}:Moderation:Mode</c>: <c>block</c> (default), <c>review</c> or <c>off</c> (issue 11).</summary>
    public RoomModerationOptions Moderation { get; set; } = new();

    public int Width { get; set; } = 1280;
    public int Height { get; set; } = 720;

    /// <summary>25 (default) or 30.</summary>
    public int Fps { get; set; } = 25;

    public const string CartoonAvatar = "cartoon";
    public const string PhonemeMouth = "phonemes";
    public const string AudioMouth = "audio";

    /// <summary>
    /// A built-in look of the cartoon presenter ("cartoon", "cartoon-b", "cartoon-fullbody"; see
    /// <see cref="Avatars.CartoonLookIds"/>) or the path of an avatar package directory.
    /// </summary>
    public string Avatar { get; set; } = CartoonAvatar;

    /// <summary>
    /// What moves the cartoon's mouth: "phonemes" (default: the speech engine's phoneme marks) or "audio" (the viseme
    /// model listening to the room's own audio, so any PCM drives it). Realistic avatars take their mouth from their
    /// package's lip-sync model and ignore this.
    /// </summary>
    public string MouthSource { get; set; } = PhonemeMouth;

    public bool IsCartoon => Avatars.CartoonLookIds.IsBuiltIn(Avatar);

    /// <summary>
    /// Draw the frame index into every frame as a machine-readable block pattern (bottom-left), for measuring
    /// glass-to-glass latency (<c>perf/ glass-to-glass</c>). Off by default: viewers never see it otherwise.
    /// </summary>
    public bool FrameStamp { get; set; }

    /// <summary>
    /// Add a short 14 kHz tone burst to the audio at every 50th frame, the frame whose stamp it matches, for measuring
    /// A/V sync where the viewer is (<c>perf/ av-sync</c>; <c>LiveHost.Media.AvSyncMarker</c>). Test-only, needs
    /// <see cref="FrameStamp"/>; off by default.
    /// </summary>
    public bool AvSyncMarker { get; set; }

    /// <summary><c>Rooms:{room}:Recording</c>: fragmented MP4 recordings of the room (issue 19 point 4).</summary>
    public RoomRecordingOptions Recording { get; set; } = new();

    /// <summary>RTMP push targets (<c>Rooms:main:Outputs:N:Url</c>).</summary>
    public List<OutputOptions> Outputs { get; set; } = [];

    /// <summary>
    /// Every problem with this room's settings, as messages that name the setting; empty when they are valid.
    /// Output URLs are checked by the host, which knows the output protocols.
    /// </summary>
    public IReadOnlyList<string> Validate(string name)
    {
        var errors = new List<string>();
        var at = $"Rooms:{name}";
        if (!IsValidName(name)) errors.Add($"{at}: a room name is 1 to 64 of a-z, 0-9, '-' and '_' (was '{name}').");
        if (Language is not ("en" or "zh")) errors.Add($"{at}:Language must be \"en\" or \"zh\" (was \"{Language}\").");
        if (Width is < 160 or > 3840 || Width % 2 != 0) errors.Add($"{at}:Width must be an even number from 160 to 3840 (was {Width}).");
        if (Height is < 120 or > 2160 || Height % 2 != 0) errors.Add($"{at}:Height must be an even number from 120 to 2160 (was {Height}).");
        if (Fps is not (25 or 30)) errors.Add($"{at}:Fps must be 25 or 30 (was {Fps}).");
        if (string.IsNullOrWhiteSpace(Avatar)) errors.Add($"{at}:Avatar must name an avatar (\"cartoon\" is built in).");
        if (MouthSource is not (PhonemeMouth or AudioMouth)) errors.Add($"{at}:MouthSource must be \"phonemes\" or \"audio\" (was \"{MouthSource}\").");
        if (AvSyncMarker && !FrameStamp) errors.Add($"{at}:AvSyncMarker needs {at}:FrameStamp=true: the tone marks frames only the stamp names.");
        errors.AddRange(Recording.Validate($"{at}:Recording"));
        for (var i = 0; i < Outputs.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Outputs[i].Url)) errors.Add($"{at}:Outputs:{i}:Url is empty.");
        }
        return errors;
    }

    public static bool IsValidName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');
}

public sealed class OutputOptions
{
    public string Url { get; set; } = "";

    /// <summary>For rtmps://: PEM text or the path of a PEM file with the CA(s) the server's certificate must chain to; null: the system's.</summary>
    public string? TrustedCa { get; set; }

    /// <summary>youtube | twitch | facebook | douyin | generic: the room's encode is checked against that ingest at start; null: none.</summary>
    public string? Preset { get; set; }

    /// <summary>For WHIP (https://) outputs: the Bearer token the endpoint expects (instead of the URL's password); never shown back.</summary>
    public string? BearerToken { get; set; }
}

/// <summary>What the room does with lines holding a blocked term (a record: compared by value, like the other settings).</summary>
public sealed record RoomModerationOptions
{
    public Moderation.ModerationMode Mode { get; set; } = Moderation.ModerationMode.Block;
}
