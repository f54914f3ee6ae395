namespace LiveHost.Perf.Foundation;

public enum CueCommand { Enqueue, CueNow }

/// <summary>One line the benchmark sends: how (queued after the room went idle, or cued over a line being spoken) and what.</summary>
public sealed record ScriptedLine(int Index, CueCommand Command, string Language, string Voice, string Text, TimeSpan Delay);

/// <summary>
/// The lines of one room: pairs of an <see cref="CueCommand.Enqueue"/> sent after the room went idle and a
/// <see cref="CueCommand.CueNow"/> sent while that line is being spoken, so every other line interrupts one.
/// English (en-us) and Mandarin (cmn) alternate so each command sees both, with lengths from a few words to a long sentence.
/// The delays are random, so commands land at every phase of the 40 ms tick.
/// </summary>
public static class LineScript
{
    private static readonly string[] EnglishShort =
    [
        "Hello everyone!",
        "Thanks for joining.",
        "Only ten left.",
        "Great question.",
        "Link is below.",
    ];

    private static readonly string[] EnglishMedium =
    [
        "Welcome back to the show, we have three new products for you today.",
        "This jacket is waterproof and still light enough to fold into its own pocket.",
        "If you order in the next ten minutes, shipping is completely free.",
        "Let me show you how the lid locks so nothing spills in your bag.",
        "The battery lasts a full day, and it charges in about forty minutes.",
    ];

    private static readonly string[] EnglishLong =
    [
        "Before we move on, let me answer the question about sizes: the shoes run a little small, so if you are between two sizes we recommend taking the larger one.",
        "Our kitchen set comes with a frying pan, a saucepan and a steamer basket, all of them work on gas, electric and induction, and the handles stay cool while you cook.",
        "A lot of you asked about the warranty, so here it is: two years on every part, and if anything breaks in the first month we send you a new one the same day.",
    ];

    private static readonly string[] MandarinShort =
    [
        "大家好！",
        "欢迎来到直播间。",
        "只剩十件了。",
        "谢谢支持！",
        "链接在下面。",
    ];

    private static readonly string[] MandarinMedium =
    [
        "欢迎回到直播间，今天我们给大家准备了三款新品。",
        "这件外套防水又轻便，可以折叠放进自己的口袋里。",
        "十分钟之内下单的朋友，全部包邮。",
        "我来给大家演示一下这个盖子怎么锁紧，放在包里也不会漏。",
        "电池可以用一整天，充电大概只要四十分钟。",
    ];

    private static readonly string[] MandarinLong =
    [
        "在继续之前，我先回答一下尺码的问题：这双鞋偏小一点，如果您在两个尺码之间，建议选大一号。",
        "我们的厨具套装包括一个煎锅、一个汤锅和一个蒸笼，燃气灶、电炉和电磁炉都能用，做饭的时候把手也不烫。",
        "很多朋友问到保修，这里统一说明一下：所有部件保修两年，第一个月内有任何问题，我们当天给您寄新的。",
    ];

    public static IReadOnlyList<ScriptedLine> Create(int lines, int seed)
    {
        var random = new Random(seed);
        var script = new List<ScriptedLine>(lines);
        for (var i = 0; i < lines; i++)
        {
            var command = i % 2 == 0 ? CueCommand.Enqueue : CueCommand.CueNow;
            // en, zh | zh, en | en, zh ... : both commands get both languages.
            var english = (i % 4) is 0 or 3;
            string[] pool;
            if (command == CueCommand.Enqueue)
            {
                // Long enough to still be speaking when the cue comes.
                pool = random.Next(3) == 0 ? (english ? EnglishLong : MandarinLong) : (english ? EnglishMedium : MandarinMedium);
            }
            else
            {
                pool = random.Next(3) switch
                {
                    0 => english ? EnglishShort : MandarinShort,
                    1 => english ? EnglishMedium : MandarinMedium,
                    _ => english ? EnglishLong : MandarinLong,
                };
            }
            // Enqueue: idle gap after the previous line ended. CueNow: how long the line it interrupts has been speaking.
            var delay = command == CueCommand.Enqueue
                ? TimeSpan.FromMilliseconds(150 + random.Next(450))
                : TimeSpan.FromMilliseconds(300 + random.Next(700));
            script.Add(new ScriptedLine(i, command, english ? "en" : "zh", english ? "en-us" : "cmn", pool[random.Next(pool.Length)], delay));
        }
        return script;
    }
}
