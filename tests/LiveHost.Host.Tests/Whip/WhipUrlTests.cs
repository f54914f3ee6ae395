using LiveHost.Host.Outputs;
using LiveHost.Host.Outputs.Whip;

namespace LiveHost.Host.Tests.Whip;

public sealed class WhipUrlTests
{
    [Fact]
    public void The_token_in_the_URLs_password_becomes_the_Bearer_token_and_leaves_the_endpoint_URL()
    {
        Assert.True(WhipUrl.TryParse("https://:tok%2Fen@whip.example.com:8443/live/whip?room=a", out var url, out _));
        Assert.Equal("tok/en", url.BearerToken);
        Assert.Equal("https://whip.example.com:8443/live/whip?room=a", url.Endpoint.ToString());
        Assert.Equal("https://****@whip.example.com:8443/live/whip?room=****", url.Masked);
    }

    [Fact]
    public void A_URL_without_a_token_sends_none_and_shows_unmasked()
    {
        Assert.True(WhipUrl.TryParse("http://127.0.0.1:8889/whip", out var url, out _));
        Assert.Null(url.BearerToken);
        Assert.Equal("http://127.0.0.1:8889/whip", url.Masked);
    }

    [Theory]
    [InlineData("rtmp://host/app/key", OutputKinds.Rtmp)]
    [InlineData("https://host/whip", OutputKinds.Whip)]
    [InlineData("HTTP://127.0.0.1/whip", OutputKinds.Whip)]
    [InlineData("srt://host:9000", OutputKinds.Rtmp)]
    public void The_scheme_picks_the_output_kind(string url, string kind) => Assert.Equal(kind, OutputKinds.Of(url));

    [Fact]
    public void A_scheme_no_output_takes_is_refused_by_the_RTMP_parser_with_its_message()
    {
        Assert.NotNull(OutputKinds.Validate("ftp://host/x"));
        Assert.Null(OutputKinds.Validate("https://:t@host/whip"));
        Assert.Null(OutputKinds.Validate("rtmp://host/app/key"));
    }
}
