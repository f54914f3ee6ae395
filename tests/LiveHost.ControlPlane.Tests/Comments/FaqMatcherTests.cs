using LiveHost.ControlPlane.Comments.Faq;

namespace LiveHost.ControlPlane.Tests.Comments;

public sealed class FaqMatcherTests
{
    private static readonly FaqEntry[] Entries =
    [
        new("price", "main", ["How much does it cost?", "What is the price?"], "29 dollars.", "en"),
        new("stock", "main", ["还有货吗？", "有库存吗"], "还有货。", "zh"),
        new("ship", "main", ["How long does delivery take?", "When will it arrive?"], "Two days.", "en"),
        new("size", "main", ["这个尺寸多大？", "有多大"], "三十厘米。", "zh"),
    ];

    [Theory]
    [InlineData("how much is it??", "price")]
    [InlineData("whats the cost", "price")]
    [InlineData("请问还有库存吗？", "stock")]
    [InlineData("有货吗", "stock")]
    [InlineData("how many days for shipping?", "ship")]
    [InlineData("尺寸是多少", "size")]
    public void A_paraphrase_finds_its_entry(string comment, string id) => Assert.Equal(id, new FaqMatcher(Entries).Best(comment)?.Entry.Id);

    [Theory]
    [InlineData("what colours are there?")]
    [InlineData("你好")]
    [InlineData("!!!")]
    public void A_comment_about_something_else_scores_low_or_matches_nothing(string comment)
    {
        var best = new FaqMatcher(Entries).Best(comment);

        Assert.True(best is null || best.Value.Score < 0.3, $"{best?.Entry.Id} scored {best?.Score}");
    }

    [Fact]
    public void Chinese_text_becomes_character_bigrams_and_uncommon_single_characters_without_particles() =>
        Assert.Equal(new[] { "存", "库", "库存", "有库", "还有" }.Order(StringComparer.Ordinal), FaqMatcher.Features("请问还有库存吗？").Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void English_words_are_stemmed_and_folded_to_shop_talk_synonyms() =>
        Assert.Equal(["price", "ship"], FaqMatcher.Features("The prices and costs of shipping").Keys.Order(StringComparer.Ordinal));
}
