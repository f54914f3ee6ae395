namespace LiveHost.Engine.Moderation;

/// <summary>
/// The lists a new database starts with. zh: the absolute claims China's Advertising Law (2021) art. 9 item 3 bans
/// ("国家级", "最高级", "最佳" and their usual siblings). en: false-claim phrases consumer-protection rules commonly
/// forbid in sales talk. Admins edit both at run time; these are only the seed.
/// </summary>
public static class DefaultTerms
{
    public static TermList Chinese { get; } = new("zh",
        [
            "国家级", "世界级", "最高级", "最佳", "最好", "最优", "最低价", "最便宜", "最先进", "最大程度", "最新技术",
            "第一", "唯一", "首个", "首选", "顶级", "极品", "绝对", "万能", "独一无二", "全网第一", "销量冠军", "史无前例",
            "100%有效", "根治", "无副作用", "包治百病", "永久", "零风险",
        ],
        ["第一次", "第一天", "第一步", "第一个月", "第一时间", "第一眼", "第一个问题", "唯一的问题是", "最好不要", "绝对值"]);

    public static TermList English { get; } = new("en",
        [
            "guaranteed cure", "cures cancer", "100% safe", "no side effects", "miracle cure", "risk-free", "risk free",
            "clinically proven", "doctor recommended", "fda approved", "permanent results", "instant results",
            "lose weight fast", "guaranteed results", "best in the world", "number one in the world", "never fails",
        ],
        []);

    public static IReadOnlyList<TermList> All { get; } = [Chinese, English];
}
