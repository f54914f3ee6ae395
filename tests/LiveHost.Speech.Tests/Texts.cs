namespace LiveHost.Speech.Tests;

internal static class Texts
{
    public const string EnglishShort = "Welcome to the show. Today we have something special for you.";
    public const string MandarinShort = "欢迎来到直播间，今天的商品非常好。";

    /// <summary>About 300 words of English.</summary>
    public static string EnglishLong { get; } = string.Join(" ", Enumerable.Range(1, 12).Select(i =>
        $"Item number {i} is a sturdy and practical kitchen tool that every family will enjoy using, " +
        "made from quality steel with a comfortable handle, and it comes with a one year guarantee today."));
}
