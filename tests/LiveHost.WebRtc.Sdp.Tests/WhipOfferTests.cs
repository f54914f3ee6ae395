namespace LiveHost.WebRtc.Sdp.Tests;

/// <summary>WHIP push's offer (LiveHost offers, RFC 9725) and what it accepts of an endpoint's answer.</summary>
public sealed class WhipOfferTests
{
    private static readonly WhepAnswerParameters Local = WhepAnswerTests.Local;

    // What aiortc 1.4 answers to our offer (trimmed): setup:active, recvonly, the offered payload types.
    private static string Answer(string setup = "active", string videoPort = "9", string videoPt = "96") => string.Join("\r\n",
        "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0 1", "a=msid-semantic:WMS *",
        $"m=video {videoPort} UDP/TLS/RTP/SAVPF {videoPt}", "c=IN IP4 127.0.0.1", "a=recvonly", "a=mid:0", "a=rtcp-mux",
        $"a=rtpmap:{videoPt} H264/90000", $"a=fmtp:{videoPt} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
        "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host", "a=end-of-candidates",
        "a=ice-ufrag:aioU", "a=ice-pwd:aiortcPasswordAiortcPw12",
        "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)), $"a=setup:{setup}",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=recvonly", "a=mid:1", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
        "a=ice-ufrag:aioU", "a=ice-pwd:aiortcPasswordAiortcPw12",
        "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)), $"a=setup:{setup}", "");

    [Fact]
    public void The_offer_is_ice_lite_actpass_sendonly_H264_and_Opus_bundled_on_our_one_host_candidate()
    {
        var sdp = WhipOffer.Create(Local);
        Assert.True(SessionDescription.TryParse(sdp, out var offer, out var error), error);
        Assert.True(offer!.IceLite);
        Assert.Equal(["0", "1"], offer.BundleMids);
        Assert.Equal(["video", "audio"], offer.Media.Select(m => m.Kind));
        foreach (var media in offer.Media)
        {
            Assert.Equal(SdpDirection.SendOnly, media.Direction);
            Assert.Equal("actpass", media.Setup);
            Assert.Equal(Local.IceUfrag, media.IceUfrag);
            Assert.True(media.RtcpMux);
            Assert.Equal(8443, media.Port);
        }
        Assert.Equal("H264", offer.Media[0].FindRtpMap(96)!.EncodingName);
        Assert.Contains("packetization-mode=1", offer.Media[0].GetFmtp(96), StringComparison.Ordinal);
        Assert.Equal("opus", offer.Media[1].FindRtpMap(111)!.EncodingName);
        Assert.Contains("a=candidate:1 1 udp 2130706431 192.0.2.10 8443 typ host", sdp, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aiortc_style_answer_gives_the_endpoints_ICE_credentials_fingerprint_and_our_payload_types()
    {
        var offer = WhipOffer.Create(Local);
        Assert.True(WhipOffer.TryAccept(offer, Answer(), Local, out var negotiation, out var error), error);
        Assert.Equal("aioU", negotiation!.RemoteIceUfrag);
        Assert.Equal("aiortcPasswordAiortcPw12", negotiation.RemoteIcePassword);
        Assert.Equal("sha-256", negotiation.RemoteFingerprint.Algorithm);
        Assert.Equal(96, negotiation.Video.PayloadType);
        Assert.Equal(111, negotiation.Audio.PayloadType);
        Assert.Equal(Local.VideoSsrc, negotiation.Video.Ssrc);
    }

    [Theory]
    [InlineData("passive", "9", "96", "setup:passive")]
    [InlineData("active", "0", "96", "rejected video (port 0)")]
    [InlineData("active", "9", "102", "does not accept payload type 96")]
    public void An_answer_LiveHost_cannot_use_is_refused_saying_why(string setup, string videoPort, string videoPt, string expected)
    {
        Assert.False(WhipOffer.TryAccept(WhipOffer.Create(Local), Answer(setup, videoPort, videoPt), Local, out var negotiation, out var error));
        Assert.Null(negotiation);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_that_is_not_SDP_is_refused()
    {
        Assert.False(WhipOffer.TryAccept(WhipOffer.Create(Local), "<html>502 Bad Gateway</html>", Local, out _, out var error));
        Assert.StartsWith("the WHIP answer is not valid SDP", error, StringComparison.Ordinal);
    }
}
