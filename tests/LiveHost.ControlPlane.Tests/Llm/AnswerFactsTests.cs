using LiveHost.ControlPlane.Llm;

namespace LiveHost.ControlPlane.Tests.Llm;

public sealed class AnswerFactsTests
{
    private static readonly AnswerFacts Facts = new(["Thermos cup, price 29.9 CNY; keeps drinks hot for 12 h; 1,299 sold"]);

    [Theory]
    [InlineData("It is 29.90 yuan and keeps tea hot for 12 hours.")]
    [InlineData("We sold 1299 already.")]
    [InlineData("这个杯子２９.９元。")]
    [InlineData("No numbers here at all.")]
    public void A_sentence_with_only_the_sellers_numbers_passes(string sentence) => Assert.Null(Facts.FirstUnknownNumber(sentence));

    [Theory]
    [InlineData("Today only 19.9 yuan!", "19.9")]
    [InlineData("It keeps tea hot for 12 hours, 24 with the lid.", "24")]
    [InlineData("打八折只要 25 元", "25")]
    public void A_sentence_with_any_other_number_is_caught_by_that_number(string sentence, string number) =>
        Assert.Equal(number, Facts.FirstUnknownNumber(sentence));
}
