using System.Net;

namespace LiveHost.WebRtc.Sdp.Tests;

public sealed class WhepAnswerTests
{
    private const string OurFingerprint = "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    internal static readonly WhepAnswerParameters Local = new()
    {
        IceUfrag = "srvUfrag",
        IcePassword = "serverPasswordServerPw12",
        DtlsFingerprint = OurFingerprint,
        CandidateAddress = IPAddress.Parse("192.0.2.10"),
        CandidatePort = 8443,
        VideoSsrc = 0x11111111,
        AudioSsrc = 0x22222222,
        CName = "livehost-main",
        StreamId = "main",
        SessionId = 42,
    };

    private static SessionDescription Parse(string sdp)
    {
        Assert.True(SessionDescription.TryParse(sdp, out var description, out string? error), error);
        return description!;
    }

    private static WhepNegotiation Answer(string offerSdp)
    {
        Assert.True(WhepAnswer.TryCreate(Parse(offerSdp), Local, out var negotiation, out string? error), error);
        Assert.Null(error);
        return negotiation!;
    }

    private static string AnswerError(string offerSdp)
    {
        Assert.False(WhepAnswer.TryCreate(Parse(offerSdp), Local, out var negotiation, out string? error));
        Assert.Null(negotiation);
        return error!;
    }

    [Fact]
    public void ChromeOffer_PicksH264ConstrainedBaseline42e01fAndOpus()
    {
        var result = Answer(OfferFixtures.Chrome);

        // Chrome lists 102 (42001f: Baseline, not Constrained) before 108 (42e01f): 108 is the one we can send.
        Assert.Equal(108, result.Video.PayloadType);
        Assert.Equal("0", result.Video.Mid);
        Assert.Equal(0, result.Video.MLineIndex);
        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", result.Video.Fmtp);
        Assert.Equal(["nack", "nack pli", "ccm fir"], result.Video.RtcpFeedback);
        Assert.Equal(111, result.Audio.PayloadType);
        Assert.Equal("1", result.Audio.Mid);
        Assert.Equal(("opus", 48000, 2), (result.Audio.EncodingName, result.Audio.ClockRate, result.Audio.Channels));
        Assert.Equal("minptime=10;useinbandfec=1", result.Audio.Fmtp);
        Assert.Equal(("CXkd", "5nBJS8UY8H2k5mB/1fmDYq+k"), (result.RemoteIceUfrag, result.RemoteIcePassword));
        Assert.Equal(SdpFingerprint.TryParse("sha-256 DB:C8:E6:FC:98:38:E9:CD:89:E2:9E:CB:E5:65:4A:65:B1:92:B0:58:F5:61:2D:24:AB:09:A8:C2:0B:B0:0A:83"), result.RemoteFingerprint);
        Assert.Equal("actpass", result.RemoteSetup);
        Assert.Equal(["0", "1"], result.BundleMids);
    }

    [Fact]
    public void FirefoxOffer_PicksPt126AndOpus109()
    {
        var result = Answer(OfferFixtures.Firefox);

        Assert.Equal(126, result.Video.PayloadType); // 97 is the same profile with packetization-mode 0
        Assert.Equal(109, result.Audio.PayloadType);
        Assert.Equal("1a2b3c4d", result.RemoteIceUfrag);
        Assert.Equal("4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3F:B9:A2:B5:1A:93:44:6D:D4:5C:0B:E2", result.RemoteFingerprint.Value);
    }

    [Fact]
    public void ChromeOffer_Answer_ParsesBackWithEveryField()
    {
        var result = Answer(OfferFixtures.Chrome);
        var answer = Parse(result.AnswerSdp);

        Assert.DoesNotContain("\n", result.AnswerSdp.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(answer.IceLite);
        Assert.Equal(["0", "1"], answer.BundleMids);
        Assert.Equal(3, answer.Media.Count);
        Assert.StartsWith("- 42 ", answer.Origin, StringComparison.Ordinal);

        foreach (var (media, track) in new[] { (answer.Media[0], result.Video), (answer.Media[1], result.Audio) })
        {
            Assert.Equal(track.Kind, media.Kind);
            Assert.Equal(8443, media.Port);
            Assert.Equal("UDP/TLS/RTP/SAVPF", media.Protocol);
            Assert.Equal([track.PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture)], media.Formats);
            Assert.Equal("IN IP4 192.0.2.10", media.Connection);
            Assert.Equal(track.Mid, media.Mid);
            Assert.Equal("srvUfrag", media.IceUfrag);
            Assert.Equal("serverPasswordServerPw12", media.IcePassword);
            Assert.Equal(SdpFingerprint.TryParse(OurFingerprint), media.Fingerprint);
            Assert.Equal("passive", media.Setup);
            Assert.Equal(SdpDirection.SendOnly, media.Direction);
            Assert.True(media.RtcpMux);
            Assert.True(media.RtcpReducedSize);
            Assert.Equal(track.Channels > 0 ? track.Channels : null, media.FindRtpMap(track.PayloadType)!.Channels);
            Assert.Equal(track.EncodingName, media.FindRtpMap(track.PayloadType)!.EncodingName);
            Assert.Equal(track.ClockRate, media.FindRtpMap(track.PayloadType)!.ClockRate);
            Assert.Equal(track.Fmtp, media.GetFmtp(track.PayloadType));
            Assert.Equal(track.RtcpFeedback, media.GetRtcpFeedback(track.PayloadType).Select(f => f.Value));
            Assert.Equal(
                [new SdpSsrc(track.Ssrc, "cname", "livehost-main"), new SdpSsrc(track.Ssrc, "msid", $"main {track.Kind}")],
                media.Ssrcs);
            Assert.Contains(new SdpAttribute("msid", $"main {track.Kind}"), media.Attributes);
            var candidate = Assert.Single(media.Attributes, a => a.Name == "candidate");
            Assert.Equal("1 1 udp 2130706431 192.0.2.10 8443 typ host", candidate.Value);
            Assert.Contains(new SdpAttribute("end-of-candidates", null), media.Attributes);
        }

        Assert.Equal(0x11111111u, result.Video.Ssrc);
        Assert.Equal(0x22222222u, result.Audio.Ssrc);
        var dataChannel = answer.Media[2];
        Assert.Equal(("application", 0, "2"), (dataChannel.Kind, dataChannel.Port, dataChannel.Mid));
        Assert.Equal(["webrtc-datachannel"], dataChannel.Formats);
    }

    [Fact]
    public void Ipv6Candidate_IsWrittenAsIp6()
    {
        var local = new WhepAnswerParameters
        {
            IceUfrag = Local.IceUfrag, IcePassword = Local.IcePassword, DtlsFingerprint = OurFingerprint,
            CandidateAddress = IPAddress.Parse("2001:db8::10"), CandidatePort = 9000, VideoSsrc = 1, AudioSsrc = 2, CName = "c",
        };
        Assert.True(WhepAnswer.TryCreate(Parse(OfferFixtures.Chrome), local, out var result, out _));

        var answer = Parse(result!.AnswerSdp);
        Assert.Equal("IN IP6 2001:db8::10", answer.Media[0].Connection);
        Assert.EndsWith("2001:db8::10 9000 typ host", answer.Media[0].Attributes.Single(a => a.Name == "candidate").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithOnlyHighProfileH264_FailsListingWhatWasOffered()
    {
        string sdp = OfferFixtures.Replace(OfferFixtures.Firefox, "m=video 9 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98 123 122 119", "m=video 9 UDP/TLS/RTP/SAVPF 126");
        sdp = OfferFixtures.Replace(sdp, "a=fmtp:126 profile-level-id=42e01f", "a=fmtp:126 profile-level-id=640c1f");

        string error = AnswerError(sdp);

        Assert.Contains("H264", error, StringComparison.Ordinal);
        Assert.Contains("126 H264/90000 [profile-level-id=640c1f;level-asymmetry-allowed=1;packetization-mode=1]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithHighProfileFirst_StillPicksTheConstrainedBaselineOne()
    {
        string sdp = OfferFixtures.Replace(OfferFixtures.Firefox, "120 124 121 125 126 127 97 98 123 122 119", "100 126 97");
        sdp = OfferFixtures.Replace(sdp, "a=rtpmap:126 H264/90000", "a=rtpmap:100 H264/90000\r\na=fmtp:100 profile-level-id=640c1f;packetization-mode=1\r\na=rtpmap:126 H264/90000");

        Assert.Equal(100, Parse(sdp).Media[0].FindRtpMap(100)!.PayloadType);
        Assert.Equal(126, Answer(sdp).Video.PayloadType);
    }

    [Fact]
    public void OfferWithOnly42c0Profile_IsAcceptedAndEchoed()
    {
        string sdp = OfferFixtures.Replace(OfferFixtures.Firefox, "a=fmtp:126 profile-level-id=42e01f", "a=fmtp:126 profile-level-id=42C01F");

        var result = Answer(sdp);

        Assert.Equal(126, result.Video.PayloadType);
        Assert.Contains("profile-level-id=42c01f", result.Video.Fmtp, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithoutPacketizationMode1_Fails()
    {
        string sdp = OfferFixtures.Replace(OfferFixtures.Firefox, "a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1", "a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1");

        Assert.Contains("packetization-mode=1", AnswerError(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithoutOpus_FailsListingTheAudioOffered()
    {
        string sdp = OfferFixtures.Without(OfferFixtures.Chrome, l => l.Contains("opus", StringComparison.Ordinal));

        string error = AnswerError(sdp);

        Assert.Contains("opus", error, StringComparison.Ordinal);
        Assert.Contains("9 G722/8000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AudioOnlyOffer_FailsSayingVideoIsMissing()
    {
        var offer = Parse(OfferFixtures.Chrome);
        int videoEnd = OfferFixtures.Chrome.IndexOf("m=audio", StringComparison.Ordinal);
        int videoStart = OfferFixtures.Chrome.IndexOf("m=video", StringComparison.Ordinal);
        string sdp = OfferFixtures.Chrome.Remove(videoStart, videoEnd - videoStart);
        Assert.Equal(3, offer.Media.Count);

        Assert.Contains("no video m= section", AnswerError(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void OfferMissingIceUfrag_Fails()
    {
        string sdp = OfferFixtures.Without(OfferFixtures.Chrome, l => l.StartsWith("a=ice-ufrag", StringComparison.Ordinal));

        Assert.Contains("ice-ufrag", AnswerError(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void OfferMissingFingerprint_Fails()
    {
        string sdp = OfferFixtures.Without(OfferFixtures.Firefox, l => l.StartsWith("a=fingerprint", StringComparison.Ordinal));

        Assert.Contains("fingerprint", AnswerError(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithSetupPassive_Fails()
    {
        string sdp = OfferFixtures.Chrome.Replace("a=setup:actpass", "a=setup:passive", StringComparison.Ordinal);

        Assert.Contains("setup:passive", AnswerError(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithSetupActive_IsAccepted()
    {
        string sdp = OfferFixtures.Chrome.Replace("a=setup:actpass", "a=setup:active", StringComparison.Ordinal);

        Assert.Equal("active", Answer(sdp).RemoteSetup);
    }

    [Fact]
    public void SendOnlyVideoOffer_Fails()
    {
        string chrome = OfferFixtures.Chrome;
        int firstRecvOnly = chrome.IndexOf("a=recvonly", StringComparison.Ordinal);
        Assert.True(firstRecvOnly < chrome.IndexOf("m=audio", StringComparison.Ordinal));
        string sdp = chrome.Remove(firstRecvOnly, "a=recvonly".Length).Insert(firstRecvOnly, "a=sendonly");

        Assert.Contains("sendonly", AnswerError(sdp), StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithoutBundleOrRtcpMux_Fails()
    {
        string noBundle = OfferFixtures.Without(OfferFixtures.Chrome, l => l.StartsWith("a=group:BUNDLE", StringComparison.Ordinal));
        string noMux = OfferFixtures.Without(OfferFixtures.Chrome, l => l == "a=rtcp-mux");

        Assert.Contains("BUNDLE", AnswerError(noBundle), StringComparison.Ordinal);
        Assert.Contains("rtcp-mux", AnswerError(noMux), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidLocalParameters_Throw()
    {
        var offer = Parse(OfferFixtures.Chrome);
        var badFingerprint = new WhepAnswerParameters
        {
            IceUfrag = Local.IceUfrag, IcePassword = Local.IcePassword, DtlsFingerprint = "sha-256 nope",
            CandidateAddress = Local.CandidateAddress, CandidatePort = 1, VideoSsrc = 1, AudioSsrc = 2, CName = "c",
        };

        Assert.Throws<ArgumentException>(() => WhepAnswer.TryCreate(offer, badFingerprint, out _, out _));
    }
}
