using LiveHost.Engine.Moderation;

namespace LiveHost.Engine.Tests.Moderation;

public sealed class TermMatcherTests
{
    private static readonly IReadOnlyList<TermList> Defaults = DefaultTerms.All;

    [Theory]
    [InlineData("这是最佳选择", "最佳", 3)]
    [InlineData("我们是国家级品牌", "国家级", 4)]
    [InlineData("全网销量第一的面霜", "第一", 5)]
    [InlineData("顶级面料，唯一正品", "顶级", 1)]
    [InlineData("This cream is 100% safe for you", "100% safe", 15)]
    [InlineData("A GUARANTEED   CURE for colds", "guaranteed cure", 3)]
    [InlineData("There are no side effects.", "no side effects", 11)]
    [InlineData("这个产品100%安全, no side effects", "no side effects", 13)]
    public void A_blocked_term_is_found_with_its_list_and_position(string text, string term, int position)
    {
        var hit = TermMatcher.FindFirst(text, "text", Defaults);

        Assert.NotNull(hit);
        Assert.Equal(term, hit.Term);
        Assert.Equal(position, hit.Position);
    }

    [Theory]
    [InlineData("最近很多人问这个")]
    [InlineData("这是我第一次直播")]
    [InlineData("所有部件保修两年，第一个月内有任何问题，我们当天给您寄新的。")]
    [InlineData("Safety first: it is safe for most skin")]
    [InlineData("The cure rate is unknown; nothing is guaranteed")]
    [InlineData("It has no sidebar effects")]
    public void Lawful_text_passes(string text) => Assert.Null(TermMatcher.FindFirst(text, "text", Defaults));

    [Fact]
    public void English_terms_match_whole_words_only()
    {
        var lists = new[] { new TermList("en", ["best"], []) };

        Assert.Null(TermMatcher.FindFirst("bestseller and bestow", "text", lists));
        Assert.Equal(5, TermMatcher.FindFirst("the BEST one", "text", lists)!.Position);
    }

    [Fact]
    public void A_hit_inside_an_allowed_phrase_does_not_count_but_one_outside_it_does()
    {
        var text = "第一次用就说它第一";

        var hit = TermMatcher.FindFirst(text, "text", Defaults);

        Assert.NotNull(hit);
        Assert.Equal(8, hit.Position);
    }

    [Fact]
    public void Positions_count_graphemes_not_utf16_units()
    {
        var hit = TermMatcher.FindFirst("👍🏽👍🏽 最佳", "text", Defaults);

        Assert.Equal(4, hit!.Position);
    }
}
