using LiveHost.ControlPlane.Llm;

namespace LiveHost.ControlPlane.Tests.Llm;

public sealed class SentenceCutterTests
{
    [Fact]
    public void English_sentences_end_at_a_stop_followed_by_space_so_prices_and_the_last_sentence_wait()
    {
        var cutter = new SentenceCutter();

        var first = cutter.Append("It costs 29.");
        var second = cutter.Append("90 dollars! Really? Yes");
        var rest = cutter.Flush();

        Assert.Empty(first);
        Assert.Equal(["It costs 29.90 dollars!", "Really?"], second);
        Assert.Equal("Yes", rest);
    }

    [Fact]
    public void Chinese_stops_and_newlines_end_a_sentence_at_once_and_bare_punctuation_is_dropped()
    {
        var cutter = new SentenceCutter();

        var cut = cutter.Append("还有货。。明天发！\n\n好吗？");

        Assert.Equal(["还有货。", "明天发！", "好吗？"], cut);
        Assert.Null(cutter.Flush());
    }
}
