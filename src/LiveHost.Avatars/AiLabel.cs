namespace LiveHost.Avatars;

/// <summary>The disclosure every outgoing frame carries: viewers must be told the presenter is AI-generated.</summary>
public static class AiLabel
{
    public const string Chinese = "AI生成";
    public const string Other = "AI-generated";

    /// <summary>"AI生成" for Chinese rooms ("zh", "zh-CN", "zh-Hans"...), "AI-generated" for every other language.</summary>
    public static string For(string? language) => IsChinese(language) ? Chinese : Other;

    internal static bool IsChinese(string? language) =>
        language is not null
        && language.StartsWith("zh", StringComparison.OrdinalIgnoreCase)
        && (language.Length == 2 || language[2] is '-' or '_');
}
