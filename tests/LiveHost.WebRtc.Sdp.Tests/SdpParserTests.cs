namespace LiveHost.WebRtc.Sdp.Tests;

public sealed class SdpParserTests
{
    private static SessionDescription Parse(string sdp)
    {
        Assert.True(SessionDescription.TryParse(sdp, out var description, out string? error), error);
        Assert.Null(error);
        return description!;
    }

    [Fact]
    public void ChromeOffer_ParsesSessionAndAllThreeSections()
    {
        var offer = Parse(OfferFixtures.Chrome);

        Assert.Equal("-", offer.SessionName);
        Assert.StartsWith("- 7319893461132616147 2 IN IP4", offer.Origin, StringComparison.Ordinal);
        Assert.Equal(["0", "1", "2"], offer.BundleMids);
        Assert.False(offer.IceLite);
        Assert.Equal(["video", "audio", "application"], offer.Media.Select(m => m.Kind));
        Assert.Equal(["0", "1", "2"], offer.Media.Select(m => m.Mid));
        Assert.All(offer.Media, m =>
        {
            Assert.Equal(9, m.Port);
            Assert.Equal("CXkd", m.IceUfrag);
            Assert.Equal("5nBJS8UY8H2k5mB/1fmDYq+k", m.IcePassword);
            Assert.Equal("sha-256", m.Fingerprint!.Algorithm);
            Assert.Equal(32, m.Fingerprint.Digest.Count);
            Assert.Equal(0xDB, m.Fingerprint.Digest[0]);
            Assert.Equal(0x83, m.Fingerprint.Digest[31]);
            Assert.Equal("actpass", m.Setup);
            Assert.Equal("IN IP4 0.0.0.0", m.Connection);
        });
    }

    [Fact]
    public void ChromeOffer_VideoSection_HasCodecsFeedbackAndExtensions()
    {
        var video = Parse(OfferFixtures.Chrome).Media[0];

        Assert.Equal("UDP/TLS/RTP/SAVPF", video.Protocol);
        Assert.Equal(34, video.Formats.Count);
        Assert.Equal("96", video.Formats[0]);
        Assert.Equal(SdpDirection.RecvOnly, video.Direction);
        Assert.True(video.RtcpMux);
        Assert.True(video.RtcpReducedSize);
        Assert.Equal(new SdpRtpMap(108, "H264", 90000, null), video.FindRtpMap(108));
        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", video.GetFmtp(108));
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], video.GetRtcpFeedback(108).Select(f => f.Value));
        Assert.Contains(new SdpExtMap(9, "urn:ietf:params:rtp-hdrext:sdes:mid"), video.ExtMaps);
        Assert.Equal(11, video.ExtMaps.Count);
        Assert.Empty(video.Ssrcs); // recvonly: Chrome signals no SSRC of its own
    }

    [Fact]
    public void ChromeOffer_AudioAndApplicationSections()
    {
        var offer = Parse(OfferFixtures.Chrome);
        var audio = offer.Media[1];
        var application = offer.Media[2];

        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.FindRtpMap(111));
        Assert.Equal("minptime=10;useinbandfec=1", audio.GetFmtp(111));
        Assert.Equal("111/111", audio.GetFmtp(63));
        Assert.Equal("UDP/DTLS/SCTP", application.Protocol);
        Assert.Equal(["webrtc-datachannel"], application.Formats);
        Assert.Contains(new SdpAttribute("sctp-port", "5000"), application.Attributes);
        Assert.Equal(SdpDirection.SendRecv, application.Direction);
    }

    [Fact]
    public void ChromeOffer_WithBareLfLineEndings_ParsesTheSame()
    {
        var crlf = Parse(OfferFixtures.Chrome);
        var lf = Parse(OfferFixtures.Chrome.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal(crlf.Media.Count, lf.Media.Count);
        Assert.Equal(crlf.Media[0].RtpMaps, lf.Media[0].RtpMaps);
        Assert.Equal(crlf.Media[1].IcePassword, lf.Media[1].IcePassword);
    }

    [Fact]
    public void FirefoxOffer_SessionLevelFingerprint_AppliesToEverySection()
    {
        var offer = Parse(OfferFixtures.Firefox);

        Assert.NotNull(offer.Fingerprint);
        Assert.All(offer.Media, m => Assert.Equal(offer.Fingerprint, m.Fingerprint));
        Assert.Equal("1a2b3c4d", offer.Media[1].IceUfrag);
        Assert.Contains(new SdpExtMap(6, "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"), offer.Media[0].ExtMaps);
        Assert.Contains(new SdpSsrc(2950335245, "cname", "{3f2b9a1e-6c4d-4e8f-9a0b-1c2d3e4f5a6b}"), offer.Media[0].Ssrcs);
    }

    [Fact]
    public void SessionLevelIceCredentials_ApplyWhereSectionsHaveNone_ButSectionValuesWin()
    {
        string sdp = OfferFixtures.Without(OfferFixtures.Firefox, l => l.StartsWith("a=ice-", StringComparison.Ordinal));
        sdp = OfferFixtures.Replace(sdp, "t=0 0", "t=0 0\r\na=ice-ufrag:sessUfrag\r\na=ice-pwd:sessionPasswordSessionPw\r\na=sendonly");
        sdp = OfferFixtures.Replace(sdp, "a=mid:1", "a=mid:1\r\na=ice-ufrag:audioUfrag");

        var offer = Parse(sdp);

        Assert.Equal("sessUfrag", offer.Media[0].IceUfrag);
        Assert.Equal("audioUfrag", offer.Media[1].IceUfrag);
        Assert.Equal("sessionPasswordSessionPw", offer.Media[1].IcePassword);
        Assert.Equal(SdpDirection.RecvOnly, offer.Media[0].Direction); // section-level direction wins over session-level
    }

    [Fact]
    public void Parser_ToleratesBlankLinesUnknownTypesAndMalformedAttributes()
    {
        string sdp = "v=0\r\n\r\nthis is not sdp\r\nz=unknown type\r\nb=AS:30\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:oops\r\na=rtpmap:0 PCMU/8000\r\na=fmtp:\r\na=rtcp-fb:x\r\na=ssrc:abc cname:x\r\na=extmap:zero x\r\na=fingerprint:sha-256 ZZ\r\n";

        var offer = Parse(sdp);

        var audio = Assert.Single(offer.Media);
        Assert.Equal(new SdpRtpMap(0, "PCMU", 8000, null), Assert.Single(audio.RtpMaps));
        Assert.Empty(audio.RtcpFeedback);
        Assert.Empty(audio.Ssrcs);
        Assert.Empty(audio.ExtMaps);
        Assert.Null(audio.Fingerprint);
        Assert.Equal(7, audio.Attributes.Count);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \r\n", "empty")]
    [InlineData("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n", "v=0")]
    [InlineData("v=1\r\n", "v=0")]
    [InlineData("garbage only", "v=0")]
    [InlineData("v=0\r\nm=video\r\n", "m=")]
    [InlineData("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF\r\n", "m=")]
    [InlineData("v=0\r\nm=video port UDP/TLS/RTP/SAVPF 96\r\n", "m=")]
    [InlineData("v=0\r\nm=video 70000 UDP/TLS/RTP/SAVPF 96\r\n", "m=")]
    public void BrokenSdp_FailsWithAnErrorNamingTheProblem(string sdp, string expectedInError)
    {
        Assert.False(SessionDescription.TryParse(sdp, out var description, out string? error));
        Assert.Null(description);
        Assert.Contains(expectedInError, error, StringComparison.Ordinal);
    }

    [Fact]
    public void NullAndOversizedSdp_Fail()
    {
        Assert.False(SessionDescription.TryParse(null, out _, out _));
        Assert.False(SessionDescription.TryParse("v=0\r\n" + new string('a', SessionDescription.MaxLength), out _, out string? error));
        Assert.Contains("at most", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha-256 AB:CD", null)] // too short for any hash
    [InlineData("sha-256", null)]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:3G", null)]
    [InlineData("SHA-1 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33", "sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33")]
    public void Fingerprint_ParsesOnlyWellFormedDigests(string text, string? normalized)
        => Assert.Equal(normalized, SdpFingerprint.TryParse(text)?.ToString());
}
