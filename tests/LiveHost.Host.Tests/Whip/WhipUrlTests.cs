using LiveHost.Encoding;
using LiveHost.Host.Outputs;
using LiveHost.Media;
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
    [InlineData("rtmps://host/app/key", OutputKinds.Rtmp)]
    [InlineData("https://host/whip", OutputKinds.Whip)]
    [InlineData("HTTP://127.0.0.1/whip", OutputKinds.Whip)]
    [InlineData("srt://host:9000", OutputKinds.Srt)]
    public void The_scheme_picks_the_output_kind(string url, string kind) => Assert.Equal(kind, OutputKinds.Of(url, out _));

    [Fact]
    public void A_scheme_no_output_takes_is_refused_naming_the_schemes_and_a_WHIP_output_takes_no_preset_or_CA()
    {
        var encode = RoomEncodeProfile.Of(new(1280, 720, 25), new EncoderOptions());
        Assert.Null(OutputKinds.Of("ftp://host/x", out var error));
        Assert.Contains("https:// (WHIP)", error, StringComparison.Ordinal);
        Assert.Contains("https:// (WHIP)", Assert.Single(OutputKinds.Validate(new("ftp://host/x", null, null), encode)), StringComparison.Ordinal);
        Assert.Empty(OutputKinds.Validate(new("https://:t@host/whip", null, null), encode));
        Assert.Empty(OutputKinds.Validate(new("rtmp://host/app/key", null, null), encode));
        Assert.Equal(2, OutputKinds.Validate(new("https://:t@host/whip", "-----BEGIN CERTIFICATE-----", "youtube"), encode).Count());
        Assert.Equal("host", OutputKinds.Host("https://:t@host/whip"));
        Assert.Equal("srt.example", OutputKinds.Host("srt://srt.example:9000"));
    }

    [Fact]
    public void A_bearerToken_field_is_the_WHIP_token_shown_masked_and_never_printed()
    {
        var url = WhipUrl.Parse("https://whip.example.com/whip", "field-SECRET");
        Assert.Equal("field-SECRET", url.BearerToken);
        Assert.Equal("https://****@whip.example.com/whip", url.Masked);
        Assert.DoesNotContain("SECRET", url.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", new OutputTarget("https://whip.example.com/whip", null, null, "field-SECRET").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", new LiveHost.ControlPlane.AddOutputRequest("https://whip.example.com/whip", BearerToken: "field-SECRET").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtmp://host/app/key", "bearerToken applies to WHIP (https://) outputs only; this URL is rtmp")]
    [InlineData("srt://host:9000", "bearerToken applies to WHIP (https://) outputs only; this URL is srt")]
    [InlineData("https://:url-token@host/whip", "bearerToken is given twice")]
    public void A_bearerToken_on_a_non_WHIP_output_or_beside_a_URL_token_is_refused(string url, string reason)
    {
        var encode = RoomEncodeProfile.Of(new(1280, 720, 25), new EncoderOptions());
        var problem = Assert.Single(OutputKinds.Validate(new(url, null, null, "tok"), encode));
        Assert.StartsWith(reason, problem, StringComparison.Ordinal);
        Assert.Empty(OutputKinds.Validate(new("https://host/whip", null, null, "tok"), encode));
    }

    [Fact]
    public void An_outputs_own_ice_servers_are_checked_like_the_configured_ones_and_only_WHIP_takes_them()
    {
        var encode = RoomEncodeProfile.Of(new(1280, 720, 25), new EncoderOptions());
        LiveHost.WebRtc.IceServerOptions[] tls = [new() { Urls = ["turns:turn.example.org"], Username = "u", Credential = "p" }];
        LiveHost.WebRtc.IceServerOptions[] noUser = [new() { Urls = ["turn:turn.example.org"] }];
        LiveHost.WebRtc.IceServerOptions[] good = [new() { Urls = ["stun:stun.example.org", "turn:turn.example.org:3479"], Username = "u", Credential = "p" }];

        Assert.StartsWith("iceServers[0]: 'turns:turn.example.org': turns:", Assert.Single(OutputKinds.Validate(new("https://host/whip", null, null, null, tls), encode)), StringComparison.Ordinal);
        Assert.StartsWith("iceServers[0]: 'turn:turn.example.org:3478' is a TURN server: it needs username and credential",
            Assert.Single(OutputKinds.Validate(new("https://host/whip", null, null, null, noUser), encode)), StringComparison.Ordinal);
        Assert.Equal("iceServers applies to WHIP (https://) outputs only; this URL is rtmp",
            Assert.Single(OutputKinds.Validate(new("rtmp://host/app/key", null, null, null, good), encode)));
        Assert.Empty(OutputKinds.Validate(new("https://host/whip", null, null, null, good), encode));
    }

    [Fact]
    public void Two_bodies_with_the_same_ice_servers_are_equal_for_Idempotency_Key_and_the_credential_is_never_printed()
    {
        static LiveHost.ControlPlane.AddOutputRequest Body(string credential) => new LiveHost.ControlPlane.AddOutputRequest("https://host/whip",
            IceServers: [new(["turn:turn.example.org "], "u", credential)]).Normalized();

        Assert.Equal(Body("cred-SECRET"), Body("cred-SECRET"));
        Assert.NotEqual(Body("cred-SECRET"), Body("other-SECRET"));
        Assert.NotEqual(Body("cred-SECRET"), new LiveHost.ControlPlane.AddOutputRequest("https://host/whip").Normalized());
        Assert.DoesNotContain("SECRET", Body("cred-SECRET").ToString(), StringComparison.Ordinal);
    }
}
