namespace LiveHost.WebRtc.Sdp.Tests;

public sealed class PlayoutDelayAnswerTests
{
    private static readonly WhepAnswerParameters Local = WithPlayoutDelay(WhepAnswerTests.Local, playoutDelay: true);

    private static WhepAnswerParameters WithPlayoutDelay(WhepAnswerParameters p, bool playoutDelay) => new()
    {
        IceUfrag = p.IceUfrag, IcePassword = p.IcePassword, DtlsFingerprint = p.DtlsFingerprint, CandidateAddress = p.CandidateAddress,
        CandidatePort = p.CandidatePort, VideoSsrc = p.VideoSsrc, AudioSsrc = p.AudioSsrc, CName = p.CName, StreamId = p.StreamId,
        SessionId = p.SessionId, PlayoutDelay = playoutDelay,
    };

    private static WhepNegotiation Answer(string offerSdp, WhepAnswerParameters local)
    {
        Assert.True(SessionDescription.TryParse(offerSdp, out var offer, out var parseError), parseError);
        Assert.True(WhepAnswer.TryCreate(offer!, local, out var negotiation, out var error), error);
        return negotiation!;
    }

    private static string[] Section(string sdp, string kind)
    {
        var lines = sdp.Split("\r\n");
        var start = Array.FindIndex(lines, l => l.StartsWith("m=" + kind, StringComparison.Ordinal));
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("m=", StringComparison.Ordinal));
        return lines[start..(end < 0 ? lines.Length : end)];
    }

    [Fact]
    public void Chrome_offer_gets_playout_delay_on_video_under_the_offered_id_and_nothing_else()
    {
        var result = Answer(OfferFixtures.Chrome, Local);

        // Chromium 156 offers the extension as id 5 on video (and not on audio): the answer keeps 5, on video only.
        Assert.Equal(5, result.Video.ExtensionId(WhepAnswer.PlayoutDelayUri));
        Assert.Equal(0, result.Audio.ExtensionId(WhepAnswer.PlayoutDelayUri));
        Assert.Equal(["a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"],
            Section(result.AnswerSdp, "video").Where(l => l.StartsWith("a=extmap", StringComparison.Ordinal)));
        Assert.DoesNotContain(Section(result.AnswerSdp, "audio"), l => l.StartsWith("a=extmap", StringComparison.Ordinal));
        // The answer is still one we parse, with the extension where the browser will look for it.
        Assert.True(SessionDescription.TryParse(result.AnswerSdp, out var answer, out var error), error);
        Assert.Equal([new SdpExtMap(5, WhepAnswer.PlayoutDelayUri)], answer!.Media.First(m => m.Kind == "video").ExtMaps);
    }

    [Fact]
    public void Without_the_setting_the_answer_has_no_extmap()
    {
        var result = Answer(OfferFixtures.Chrome, WithPlayoutDelay(Local, playoutDelay: false));

        Assert.Empty(result.Video.HeaderExtensions);
        Assert.DoesNotContain("a=extmap", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void An_offer_without_the_extension_is_answered_without_it()
    {
        var offer = OfferFixtures.Without(OfferFixtures.Chrome, l => l.EndsWith("rtp-hdrext/playout-delay", StringComparison.Ordinal));

        var result = Answer(offer, Local);

        Assert.Equal(0, result.Video.ExtensionId(WhepAnswer.PlayoutDelayUri));
        Assert.DoesNotContain("a=extmap", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a=extmap:5 ", "a=extmap:5/sendonly ", 0)]
    [InlineData("a=extmap:5 ", "a=extmap:5/inactive ", 0)]
    [InlineData("a=extmap:5 ", "a=extmap:5/recvonly ", 5)]
    [InlineData("a=extmap:5 ", "a=extmap:15 ", 0)]
    public void Takes_the_extension_only_where_the_browser_receives_it_with_a_one_byte_id(string oldText, string newText, int expectedId)
    {
        var offer = OfferFixtures.Replace(OfferFixtures.Chrome, oldText + WhepAnswer.PlayoutDelayUri, newText + WhepAnswer.PlayoutDelayUri);

        Assert.Equal(expectedId, Answer(offer, Local).Video.ExtensionId(WhepAnswer.PlayoutDelayUri));
    }
}
