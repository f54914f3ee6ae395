namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>Protect then unprotect, ROC wrap, tampering and replay, in both profiles.</summary>
public sealed class SrtpRoundTripTests
{
    public static TheoryData<SrtpProfile> Profiles => new(TestPackets.Profiles);

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtp_round_trips_with_csrcs_and_header_extension_left_in_the_clear(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] plain = TestPackets.Rtp(1000, 0x11223344, 300, csrcCount: 2, extensionWords: 3);
            int headerLength = 12 + 8 + 16;
            byte[] buffer = TestPackets.WithRoom(plain, sender.RtpOverhead);

            int length = sender.ProtectRtp(buffer, plain.Length);

            Assert.Equal(plain.Length + profile.AuthTagLength(), length);
            Assert.Equal(plain[..headerLength], buffer[..headerLength]);
            Assert.NotEqual(plain[headerLength..], buffer[headerLength..plain.Length]);
            Assert.True(receiver.TryUnprotectRtp(buffer, length, out int plainLength));
            Assert.Equal(plain, buffer[..plainLength]);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtcp_round_trips_with_rising_srtcp_index(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            for (int n = 1; n <= 5; n++)
            {
                byte[] plain = TestPackets.Rtcp(0xABCDEF01, 28 + (4 * n), seed: n);
                byte[] buffer = TestPackets.WithRoom(plain, sender.RtcpOverhead);

                int length = sender.ProtectRtcp(buffer, plain.Length);

                Assert.Equal(plain.Length + profile.RtcpOverhead(), length);
                Assert.NotEqual(plain[8..], buffer[8..plain.Length]);
                Assert.True(receiver.TryUnprotectRtcp(buffer, length, out int plainLength));
                Assert.Equal(plain, buffer[..plainLength]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rollover_counter_advances_when_sequence_wraps_from_65535_to_0(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using var late = TestPackets.Pair(profile).Receiver;
        using (sender)
        using (receiver)
        {
            byte[] afterWrap = [];
            for (int i = 0; i < 10; i++)
            {
                ushort seq = unchecked((ushort)(65530 + i));
                byte[] plain = TestPackets.Rtp(seq, 42, 100);
                byte[] buffer = TestPackets.WithRoom(plain, sender.RtpOverhead);
                int length = sender.ProtectRtp(buffer, plain.Length);
                if (seq == 2)
                {
                    afterWrap = buffer[..length];
                }

                Assert.True(receiver.TryUnprotectRtp(buffer, length, out int plainLength), $"seq {seq}");
                Assert.Equal(plain, buffer[..plainLength]);
            }

            // A receiver that never saw the wrap assumes ROC 0 and so fails to authenticate: the sender used ROC 1.
            Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, late.UnprotectRtp(afterWrap, afterWrap.Length, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Receiver_estimates_roc_for_a_pre_wrap_packet_arriving_after_the_wrap(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[][] wire = new byte[4][];
            ushort[] sequence = [65534, 65535, 0, 1];
            for (int i = 0; i < wire.Length; i++)
            {
                byte[] buffer = TestPackets.WithRoom(TestPackets.Rtp(sequence[i], 5, 64), sender.RtpOverhead);
                wire[i] = buffer[..sender.ProtectRtp(buffer, buffer.Length - sender.RtpOverhead)];
            }

            foreach (int i in new[] { 0, 2, 3, 1 })
            {
                Assert.True(receiver.TryUnprotectRtp(wire[i], wire[i].Length, out _), $"seq {sequence[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Flipped_bit_in_payload_or_tag_is_rejected(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] plain = TestPackets.Rtp(7, 99, 200);
            byte[] buffer = TestPackets.WithRoom(plain, sender.RtpOverhead);
            int length = sender.ProtectRtp(buffer, plain.Length);
            byte[] original = buffer[..length];

            byte[] payloadFlip = (byte[])original.Clone();
            payloadFlip[20] ^= 0x04;
            Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, receiver.UnprotectRtp(payloadFlip, length, out _));

            byte[] tagFlip = (byte[])original.Clone();
            tagFlip[length - 1] ^= 0x80;
            Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, receiver.UnprotectRtp(tagFlip, length, out _));

            byte[] rtcpPlain = TestPackets.Rtcp(99);
            byte[] rtcp = TestPackets.WithRoom(rtcpPlain, sender.RtcpOverhead);
            int rtcpLength = sender.ProtectRtcp(rtcp, rtcpPlain.Length);
            byte[] rtcpFlip = rtcp[..rtcpLength];
            rtcpFlip[12] ^= 0x01;
            Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, receiver.UnprotectRtcp(rtcpFlip, rtcpLength, out _));
            byte[] rtcpTagFlip = rtcp[..rtcpLength];
            rtcpTagFlip[rtcpLength - 5] ^= 0x10;
            Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, receiver.UnprotectRtcp(rtcpTagFlip, rtcpLength, out _));

            // The untouched packet still goes through afterwards: failures commit no state.
            Assert.True(receiver.TryUnprotectRtp(original, length, out int plainLength));
            Assert.Equal(plain, original[..plainLength]);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Replayed_and_too_old_packets_are_rejected_but_reordered_ones_accepted(SrtpProfile profile)
    {
        var (sender, receiver) = TestPackets.Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[][] wire = new byte[100][];
            for (int i = 0; i < wire.Length; i++)
            {
                byte[] buffer = TestPackets.WithRoom(TestPackets.Rtp((ushort)(500 + i), 8, 32), sender.RtpOverhead);
                wire[i] = buffer[..sender.ProtectRtp(buffer, buffer.Length - sender.RtpOverhead)];
            }

            Assert.True(receiver.TryUnprotectRtp((byte[])wire[0].Clone(), wire[0].Length, out _));
            Assert.Equal(SrtpUnprotectResult.Replayed, receiver.UnprotectRtp((byte[])wire[0].Clone(), wire[0].Length, out _));

            Assert.True(receiver.TryUnprotectRtp((byte[])wire[80].Clone(), wire[80].Length, out _));
            Assert.True(receiver.TryUnprotectRtp((byte[])wire[40].Clone(), wire[40].Length, out _), "40 behind: inside the window");
            Assert.Equal(SrtpUnprotectResult.Replayed, receiver.UnprotectRtp((byte[])wire[40].Clone(), wire[40].Length, out _));
            Assert.Equal(SrtpUnprotectResult.Replayed, receiver.UnprotectRtp((byte[])wire[10].Clone(), wire[10].Length, out _));

            byte[] rtcpPlain = TestPackets.Rtcp(8);
            byte[] rtcp = TestPackets.WithRoom(rtcpPlain, sender.RtcpOverhead);
            int rtcpLength = sender.ProtectRtcp(rtcp, rtcpPlain.Length);
            byte[] copy = rtcp[..rtcpLength];
            Assert.True(receiver.TryUnprotectRtcp(rtcp, rtcpLength, out _));
            Assert.Equal(SrtpUnprotectResult.Replayed, receiver.UnprotectRtcp(copy, rtcpLength, out _));
        }
    }

    [Fact]
    public void Contexts_with_different_keys_do_not_interoperate()
    {
        using var sender = TestPackets.Pair(SrtpProfile.AeadAes128Gcm, seed: 1).Sender;
        using var stranger = TestPackets.Pair(SrtpProfile.AeadAes128Gcm, seed: 2).Receiver;
        byte[] buffer = TestPackets.WithRoom(TestPackets.Rtp(1, 1, 50), sender.RtpOverhead);
        int length = sender.ProtectRtp(buffer, buffer.Length - sender.RtpOverhead);

        Assert.Equal(SrtpUnprotectResult.AuthenticationFailed, stranger.UnprotectRtp(buffer, length, out _));
    }

    [Fact]
    public void Protect_refuses_a_buffer_without_room_for_the_tag_and_leaves_it_untouched()
    {
        using var sender = TestPackets.Pair(SrtpProfile.Aes128CmHmacSha1_80).Sender;
        byte[] plain = TestPackets.Rtp(1, 1, 50);
        byte[] buffer = (byte[])plain.Clone();

        Assert.False(sender.TryProtectRtp(buffer, buffer.Length, out _));
        Assert.Equal(plain, buffer);
        Assert.Throws<ArgumentException>(() => sender.ProtectRtp(buffer, buffer.Length));
    }

    [Fact]
    public void Unknown_ssrcs_beyond_the_table_are_refused_without_evicting_known_ones()
    {
        var options = new SrtpContextOptions { MaxStreams = 2 };
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        using var sender = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, salt);
        using var receiver = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, salt, options);
        byte[][] wire = new byte[3][];
        for (uint ssrc = 0; ssrc < 3; ssrc++)
        {
            byte[] buffer = TestPackets.WithRoom(TestPackets.Rtp(1, ssrc + 1, 20), sender.RtpOverhead);
            wire[ssrc] = buffer[..sender.ProtectRtp(buffer, buffer.Length - sender.RtpOverhead)];
        }

        Assert.True(receiver.TryUnprotectRtp(wire[0], wire[0].Length, out _));
        Assert.True(receiver.TryUnprotectRtp(wire[1], wire[1].Length, out _));
        Assert.Equal(SrtpUnprotectResult.TooManyStreams, receiver.UnprotectRtp(wire[2], wire[2].Length, out _));
    }

    [Fact]
    public void Profiles_carry_rfc_lengths_and_ids()
    {
        Assert.Equal(0x0001, (ushort)SrtpProfile.Aes128CmHmacSha1_80);
        Assert.Equal(0x0007, (ushort)SrtpProfile.AeadAes128Gcm);
        Assert.Equal((16, 14, 20, 10), (SrtpProfile.Aes128CmHmacSha1_80.MasterKeyLength(), SrtpProfile.Aes128CmHmacSha1_80.MasterSaltLength(),
            SrtpProfile.Aes128CmHmacSha1_80.SessionAuthKeyLength(), SrtpProfile.Aes128CmHmacSha1_80.AuthTagLength()));
        Assert.Equal((16, 12, 0, 16), (SrtpProfile.AeadAes128Gcm.MasterKeyLength(), SrtpProfile.AeadAes128Gcm.MasterSaltLength(),
            SrtpProfile.AeadAes128Gcm.SessionAuthKeyLength(), SrtpProfile.AeadAes128Gcm.AuthTagLength()));
        Assert.True(SrtpProfileExtensions.TryFromId(0x0007, out SrtpProfile gcm));
        Assert.Equal(SrtpProfile.AeadAes128Gcm, gcm);
        Assert.False(SrtpProfileExtensions.TryFromId(0x0002, out _));
        Assert.Throws<ArgumentException>(() => new SrtpContext(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[14]));
    }
}
