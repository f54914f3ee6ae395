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
    [InlineData("只要 25 元", "25")]
    [InlineData("打八折只要 25 元", "八折")]
    public void A_sentence_with_any_other_number_is_caught_by_that_number(string sentence, string number) =>
        Assert.Equal(number, Facts.FirstUnknownNumber(sentence));

    [Theory]
    [InlineData("Just nineteen ninety-nine today!", "nineteen ninety-nine")]
    [InlineData("Only fifteen dollars for you.", "fifteen")]
    [InlineData("Today it is half price.", "half price")]
    [InlineData("Three hundred and fifty sold already.", "Three hundred and fifty")]
    [InlineData("A hundred people bought it.", "A hundred")]
    [InlineData("It keeps tea hot for twelve hours, twenty with the lid.", "twenty")]
    [InlineData("今天只要九十九元！", "九十九")]
    [InlineData("今天打五折。", "五折")]
    [InlineData("两百件已经卖完了。", "两百")]
    [InlineData("九块九包邮。", "九块九")]
    [InlineData("这个杯子半价。", "半价")]
    public void A_number_spelled_out_in_words_that_the_data_does_not_state_is_caught_as_written(string sentence, string number) =>
        Assert.Equal(number, Facts.FirstUnknownNumber(sentence));

    [Theory]
    [InlineData("It is twenty-nine ninety and keeps tea hot for twelve hours.")]
    [InlineData("One thousand two hundred and ninety-nine sold already.")]
    [InlineData("Take this one home; no one will regret it.")]
    [InlineData("我们一起来看看，这个杯子十分好用，千万别错过。")]
    [InlineData("这个杯子二十九点九元。")]
    public void Spelled_numbers_the_data_states_and_ordinary_words_pass(string sentence) => Assert.Null(Facts.FirstUnknownNumber(sentence));

    [Theory]
    [InlineData("Only nine ninety-nine for the kettle.")]
    [InlineData("The mug is twenty dollars, half price today.")]
    [InlineData("保温杯九十九元，茶具两百元。")]
    [InlineData("马克杯今天五折。")]
    [InlineData("The kettle holds one point five litres.")]
    public void A_real_price_repeated_in_words_passes(string sentence) =>
        Assert.Null(new AnswerFacts(["Kettle, price 9.99 USD; 1.5 litres", "Mug, price 20 USD; 50% off today", "保温杯，价格 99 CNY", "茶具，价格 200 CNY"])
            .FirstUnknownNumber(sentence));
}
