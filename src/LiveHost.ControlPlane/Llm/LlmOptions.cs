using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Llm;

/// <summary>What a room does with a comment no FAQ entry answers confidently (<c>Rooms:{room}:Llm:Mode</c>).</summary>
public enum LlmMode
{
    /// <summary>Nothing: the comment waits for staff (the default).</summary>
    Off,

    /// <summary>Each sentence of the model's answer is held in the room's review list until a producer approves it.</summary>
    Review,

    /// <summary>Each sentence goes to the queue as it completes, after the room's moderation.</summary>
    Auto,
}

/// <summary>Which comments a room asks the model about (<c>Rooms:{room}:Llm:Ask</c>).</summary>
public enum LlmAsk
{
    /// <summary>Only comments no FAQ entry answers confidently (below <c>Comments:AutoAnswerThreshold</c>): the default.</summary>
    Unmatched,

    /// <summary>Every comment; an FAQ match is then not auto-answered (the model answers, with the closest entries in its prompt).</summary>
    Always,
}

/// <summary>
/// Section <c>Llm</c> (issue 18): an OpenAI-compatible chat-completions server (Ollama, vLLM, DeepSeek, DashScope...).
/// Disabled while <see cref="BaseUrl"/> is empty (the default). Per room: <c>Rooms:{room}:Llm:Mode</c> (off | review |
/// auto, default off), <c>Rooms:{room}:Llm:Ask</c> (unmatched | always, default unmatched) and <c>Rooms:{room}:Llm:Persona</c> (the system prompt's first paragraph).
/// <see cref="ApiKey"/> may come from the environment (<c>Llm__ApiKey</c>); it is sent as a bearer token and never logged.
/// </summary>
public sealed class LlmOptions
{
    public const string SectionName = "Llm";

    /// <summary>The API root, e.g. <c>http://127.0.0.1:11434/v1</c>; <c>/chat/completions</c> is appended.</summary>
    public string BaseUrl { get; set; } = "";

    public string Model { get; set; } = "";

    public string ApiKey { get; set; } = "";

    /// <summary>Longest wait for the response headers and the first token of one attempt.</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a whole answer may stream; past it the answer stops where it is.</summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Consecutive failed requests that open the circuit breaker.</summary>
    public int BreakAfterFailures { get; set; } = 3;

    /// <summary>How long an open breaker refuses requests at once before it lets one through again.</summary>
    public TimeSpan BreakFor { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxTokens { get; set; } = 256;

    public double Temperature { get; set; } = 0.3;

    /// <summary>Answers started per room in any 60 s; past it the comment is left for staff.</summary>
    public int AnswersPerMinute { get; set; } = 3;

    /// <summary>Lines spoken last that go into the prompt.</summary>
    public int RecentLines { get; set; } = 3;

    /// <summary>FAQ entries closest to the question that go into the prompt.</summary>
    public int FaqEntries { get; set; } = 3;

    /// <summary>Most sentences one answer may put on air.</summary>
    public int MaxSentences { get; set; } = 6;

    public bool Enabled => BaseUrl.Length > 0;
}

/// <summary>Refuses a bad <c>Llm</c> section or a bad <c>Rooms:{room}:Llm:Mode</c> at start, naming the setting.</summary>
public sealed class LlmOptionsValidator(IConfiguration configuration) : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var errors = new List<string>();
        if (options.Enabled)
        {
            if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors.Add($"Llm:BaseUrl '{options.BaseUrl}' is not an absolute http(s) URL such as http://127.0.0.1:11434/v1");
            if (string.IsNullOrWhiteSpace(options.Model)) errors.Add("Llm:Model is empty; name the model the server serves (Llm:BaseUrl is set)");
        }
        Span(errors, "FirstTokenTimeout", options.FirstTokenTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        Span(errors, "AnswerTimeout", options.AnswerTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        Span(errors, "BreakFor", options.BreakFor, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, "BreakAfterFailures", options.BreakAfterFailures, 1, 1000);
        Range(errors, "MaxTokens", options.MaxTokens, 1, 8192);
        Range(errors, "AnswersPerMinute", options.AnswersPerMinute, 0, 600);
        Range(errors, "RecentLines", options.RecentLines, 0, 50);
        Range(errors, "FaqEntries", options.FaqEntries, 0, 20);
        Range(errors, "MaxSentences", options.MaxSentences, 1, 100);
        if (options.Temperature is < 0 or > 2 || double.IsNaN(options.Temperature)) errors.Add($"Llm:Temperature is {options.Temperature}; use 0 to 2");
        foreach (var room in configuration.GetSection("Rooms").GetChildren())
        {
            var mode = room["Llm:Mode"];
            if (mode is not null && !TryParseMode(mode, out _))
                errors.Add($"Rooms:{room.Key}:Llm:Mode is '{mode}'; use off, review or auto");
            var ask = room["Llm:Ask"];
            if (ask is not null && !TryParseAsk(ask, out _))
                errors.Add($"Rooms:{room.Key}:Llm:Ask is '{ask}'; use unmatched (comments no FAQ entry answers) or always");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool TryParseMode(string? value, out LlmMode mode)
    {
        mode = LlmMode.Off;
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "off": return true;
            case "review": mode = LlmMode.Review; return true;
            case "auto": mode = LlmMode.Auto; return true;
            default: return false;
        }
    }

    public static bool TryParseAsk(string? value, out LlmAsk ask)
    {
        ask = LlmAsk.Unmatched;
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "unmatched": return true;
            case "always": ask = LlmAsk.Always; return true;
            default: return false;
        }
    }

    private static void Range(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max) errors.Add($"Llm:{name} is {value}; use {min} to {max}");
    }

    private static void Span(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max) errors.Add($"Llm:{name} is {value}; use {min} to {max}");
    }
}
