using System.Text;

namespace LiveHost.WebRtc.Sdp.Tests;

/// <summary>Random and mutated SDP through the parser and the answer builder: failures only as false + error.</summary>
public sealed class SdpFuzzTests
{
    private const int Iterations = 10_000;

    private static readonly string[] Tokens =
    [
        "v=0", "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=audio 0 x", "a=rtpmap:", "a=fmtp:96 ", "a=rtcp-fb:* nack", "a=ssrc:",
        "a=extmap:", "a=group:BUNDLE ", "a=mid:", "a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:sha-256 ", "a=setup:",
        "a=sendonly", "a=rtcp-mux", ":", "/", " ", "=", "\r\n", "\n", "\r", "\0", "99999999999", "-1", "H264/90000",
        "opus/48000/2", "packetization-mode=1", "profile-level-id=42e01f", ";", "\u00e9", "\ud83d\ude00", "\ud800",
    ];

    [Fact]
    public void RandomAndMutatedSdp_NeverThrowsFromParserOrAnswerBuilder()
    {
        var random = new Random(8866);
        string[] seeds = [OfferFixtures.Chrome, OfferFixtures.Firefox];
        int parsed = 0, answered = 0;
        for (int i = 0; i < Iterations; i++)
        {
            string sdp = random.Next(4) switch
            {
                0 => RandomTokens(random),
                1 => RandomChars(random),
                _ => Mutate(random, seeds[random.Next(seeds.Length)]),
            };

            bool ok = SessionDescription.TryParse(sdp, out var description, out string? error);
            Assert.True(ok == (description is not null) && ok == (error is null), "TryParse must set exactly one of description and error");
            if (!ok)
            {
                continue;
            }

            parsed++;
            if (WhepAnswer.TryCreate(description!, WhepAnswerTests.Local, out var negotiation, out string? answerError))
            {
                answered++;
                Assert.True(SessionDescription.TryParse(negotiation!.AnswerSdp, out _, out string? reparseError), reparseError);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(answerError));
            }
        }

        // The mutations must leave enough structure to reach the codec and transport checks, or the fuzz proves little.
        Assert.True(parsed > Iterations / 3, $"only {parsed} inputs parsed");
        Assert.True(answered > 100, $"only {answered} inputs produced an answer");
    }

    private static string RandomTokens(Random random)
    {
        var text = new StringBuilder("v=0\r\n");
        for (int n = random.Next(60); n > 0; n--)
        {
            text.Append(Tokens[random.Next(Tokens.Length)]);
            if (random.Next(3) == 0)
            {
                text.Append(random.Next(-5, 300));
            }
        }

        return text.ToString();
    }

    private static string RandomChars(Random random)
    {
        var chars = new char[random.Next(300)];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(4) == 0 ? (char)random.Next(0x10000) : (char)random.Next(0x20, 0x7F);
        }

        return (random.Next(2) == 0 ? "v=0\n" : "") + new string(chars);
    }

    private static string Mutate(Random random, string seed)
    {
        var lines = seed.Split("\r\n").ToList();
        for (int n = random.Next(1, 6); n > 0 && lines.Count > 0; n--)
        {
            int index = random.Next(lines.Count);
            string line = lines[index];
            switch (random.Next(7))
            {
                case 0:
                    lines.RemoveAt(index);
                    break;
                case 1:
                    lines.Insert(random.Next(lines.Count), line); // duplicate elsewhere
                    break;
                case 2 when line.Length > 0:
                    lines[index] = line.Substring(0, random.Next(line.Length)); // truncate
                    break;
                case 3 when line.Length > 0:
                    var chars = line.ToCharArray();
                    chars[random.Next(chars.Length)] = (char)random.Next(0x20, 0x7F);
                    lines[index] = new string(chars);
                    break;
                case 4:
                    lines[index] = line + Tokens[random.Next(Tokens.Length)];
                    break;
                case 5:
                    lines[index] = line.Replace(' ', random.Next(2) == 0 ? '\t' : ':');
                    break;
                default:
                    int other = random.Next(lines.Count);
                    (lines[index], lines[other]) = (lines[other], lines[index]);
                    break;
            }
        }

        return string.Join(random.Next(5) == 0 ? "\n" : "\r\n", lines);
    }
}
