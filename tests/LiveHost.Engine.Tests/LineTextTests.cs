using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Tests.Doubles;

namespace LiveHost.Engine.Tests;

/// <summary>Text is only text: what a line may contain, what is removed, and how its length is counted.</summary>
public sealed class LineTextTests
{
    private readonly LineRequestValidator _validator = new(new ToneSynthesizer(), new EngineOptions { MaxTextLength = 10 });

    private string Accepted(string text) => _validator.Validate(new LineRequest(null, text), "en").Text;

    private CommandRejectedException Refused(string text) =>
        Assert.Throws<CommandRejectedException>(() => _validator.Validate(new LineRequest(null, text), "en"));

    public static TheoryData<string, string> ControlCharacters => new()
    {
        { "\u0001", "U+0001" },
        { "\u0002", "U+0002" },
        { "\u0000", "U+0000" },
        { "\u001B", "U+001B" },
        { "\u007F", "U+007F" },
        { "\u009B", "U+009B" },
    };

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void Every_control_character_that_is_not_whitespace_is_refused_by_name(string control, string name)
    {
        var error = Refused($"ab{control}cd");
        Assert.Equal(RejectionCode.InvalidInput, error.Code);
        Assert.Contains($"control character {name} at character 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tabs_and_line_breaks_are_kept()
    {
        Assert.Equal("a\tb\r\nc\vd", Accepted(" a\tb\r\nc\vd \n"));
    }

    [Theory]
    [InlineData("\uFEFFhello", "hello")]
    [InlineData("hel\u200Blo", "hello")]
    [InlineData("\u202Eolleh\u202C", "olleh")]
    [InlineData("\u2067abc\u2069\u200F", "abc")]
    [InlineData("soft\u00ADhyphen", "softhyphen")]
    [InlineData("\u2060 hi \u200B", "hi")]
    public void Invisible_formatting_is_removed_before_the_line_is_stored(string text, string stored)
    {
        Assert.Equal(stored, Accepted(text));
    }

    [Fact]
    public void Joiners_inside_emoji_sequences_are_kept()
    {
        const string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        Assert.Equal(family, Accepted(family));
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\uFEFF\u200E\u200F")]
    [InlineData("\u200D\u200C")]
    [InlineData(" \u2066 \u2069 \u3164 ")]
    [InlineData("\t\r\n\u0085")]
    [InlineData("\uFE0F\u034F")]
    public void Text_with_nothing_visible_is_empty(string text)
    {
        Assert.Equal(RejectionCode.TextEmpty, Refused(text).Code);
    }

    [Theory]
    [InlineData("\U0001F44D\U0001F3FD")]                          // thumbs up with a skin tone: 4 UTF-16 units
    [InlineData("e\u0301")]                                       // e + combining acute
    [InlineData("\U0001F1E8\U0001F1F3")]                          // a flag: two regional indicators
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467")]   // a family: three emoji joined
    [InlineData("你")]
    public void Length_counts_what_users_see_as_one_character(string cluster)
    {
        var ten = string.Concat(Enumerable.Repeat(cluster, 10));
        Assert.Equal(ten, Accepted(ten));

        var error = Refused(ten + cluster);
        Assert.Equal(RejectionCode.TextTooLong, error.Code);
        Assert.Contains("text is 11 characters long; the limit is 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("grapheme clusters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        var error = Refused("ok\uDC00");
        Assert.Equal(RejectionCode.InvalidInput, error.Code);
        Assert.Contains("lone surrogate U+DC00 at character 3", error.Message, StringComparison.Ordinal);
    }
}
