using System.Buffers;
using System.Buffers.Binary;
using LiveHost.Media;
using LiveHost.Media.Codecs;

namespace LiveHost.Srt.MpegTs;

/// <summary>
/// Muxes a room's encode (AVCC H.264 access units, raw AAC frames) into a one-program MPEG-TS, one frame per PES:
/// <list type="bullet">
/// <item>PAT and PMT before the first frame and again before every keyframe (a receiver that joins late starts there);</item>
/// <item>video as Annex B with an access unit delimiter, and SPS + PPS before every IDR; the first packet of each video PES
///   carries the PCR (and random_access_indicator on keyframes);</item>
/// <item>audio as ADTS frames;</item>
/// <item>continuity counters per PID; the last packet of a PES is padded with adaptation-field stuffing.</item>
/// </list>
/// PTS = the frame's time + <see cref="PtsDelay"/>; PCR = the frame's time, so a receiver buffers 0.7 s ahead of display.
/// Packets go to an <see cref="IBufferWriter{T}"/> 188 bytes at a time; the PES scratch buffer is reused,
/// so steady state allocates nothing. One writer at a time.
/// </summary>
public sealed class MpegTsMuxer
{
    /// <summary>How far each PTS is ahead of the PCR that goes with its frame (0.7 s, in 90 kHz ticks).</summary>
    public const long PtsDelay = 63_000;

    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];
    private static ReadOnlySpan<byte> AccessUnitDelimiter => [0, 0, 0, 1, 0x09, 0xF0];

    // One PES (header + elementary stream) is assembled here, then cut into packets; grown when a frame needs more.
    private byte[] _pes = new byte[64 * 1024];
    private int _length;
    private int _patCounter;
    private int _pmtCounter;
    private int _videoCounter;
    private int _audioCounter;
    private bool _tablesSent;

    /// <summary>Continuity counter of the next packet on <paramref name="pid"/> (for tests).</summary>
    internal int NextCounter(ushort pid) => pid switch
    {
        TsPacket.PatPid => _patCounter,
        TsPacket.PmtPid => _pmtCounter,
        TsPacket.VideoPid => _videoCounter,
        _ => _audioCounter,
    };

    public void WriteVideo(IBufferWriter<byte> output, long pts90k, bool keyframe, ReadOnlySpan<byte> avcc, H264Config config)
    {
        if (keyframe || !_tablesSent) WriteTables(output);
        _length = PesHeader.Size;
        Append(AccessUnitDelimiter);
        if (keyframe)
        {
            Append(StartCode);
            Append(config.Sps);
            Append(StartCode);
            Append(config.Pps);
        }
        var rest = avcc;
        while (rest.Length >= 4)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rest);
            if (length <= 0 || length > rest.Length - 4) throw new ArgumentException("the access unit is not AVCC (a NAL length runs past its end)", nameof(avcc));
            var unit = rest.Slice(4, length);
            // The delimiter is written above; parameter sets from the encoder are harmless repeats.
            if ((unit[0] & 0x1F) != 9)
            {
                Append(StartCode);
                Append(unit);
            }
            rest = rest[(4 + length)..];
        }
        PesHeader.Write(_pes, PesHeader.VideoStreamId, pts90k + PtsDelay, 0);
        Packetize(output, TsPacket.VideoPid, ref _videoCounter, _pes.AsSpan(0, _length), pts90k, keyframe);
    }

    public void WriteAudio(IBufferWriter<byte> output, long pts90k, ReadOnlySpan<byte> rawAac, AacConfig config)
    {
        if (!_tablesSent) WriteTables(output);
        _length = PesHeader.Size + AdtsHeaderWriter.Size;
        Append(rawAac);
        PesHeader.Write(_pes, PesHeader.AudioStreamId, pts90k + PtsDelay, AdtsHeaderWriter.Size + rawAac.Length);
        AdtsHeaderWriter.Write(_pes.AsSpan(PesHeader.Size), config, rawAac.Length);
        Packetize(output, TsPacket.AudioPid, ref _audioCounter, _pes.AsSpan(0, _length), null, false);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _pes.Length) Array.Resize(ref _pes, Math.Max(_pes.Length * 2, _length + bytes.Length));
        bytes.CopyTo(_pes.AsSpan(_length));
        _length += bytes.Length;
    }

    private void WriteTables(IBufferWriter<byte> output)
    {
        PsiTables.WritePat(output.GetSpan(TsPacket.Size), _patCounter);
        output.Advance(TsPacket.Size);
        _patCounter = (_patCounter + 1) & 0x0F;
        PsiTables.WritePmt(output.GetSpan(TsPacket.Size), _pmtCounter);
        output.Advance(TsPacket.Size);
        _pmtCounter = (_pmtCounter + 1) & 0x0F;
        _tablesSent = true;
    }

    private static void Packetize(IBufferWriter<byte> output, ushort pid, ref int counter, ReadOnlySpan<byte> pes, long? pcr90k, bool randomAccess)
    {
        var first = true;
        while (!pes.IsEmpty)
        {
            var packet = output.GetSpan(TsPacket.Size)[..TsPacket.Size];
            var withPcr = first && pcr90k is not null;
            // Adaptation field bytes, its length byte included: PCR (1 + 1 flags + 6), or none.
            var adaptation = withPcr ? 8 : 0;
            var room = TsPacket.Size - TsPacket.HeaderSize - adaptation;
            if (pes.Length < room)
            {
                // Stuff the last packet: grow (or start) the adaptation field by what the payload leaves free.
                adaptation += room - pes.Length;
                room = pes.Length;
            }
            TsPacket.WriteHeader(packet, pid, first, adaptation > 0, counter);
            counter = (counter + 1) & 0x0F;
            if (adaptation > 0)
            {
                packet[4] = (byte)(adaptation - 1);
                if (adaptation > 1)
                {
                    packet[5] = (byte)((withPcr ? 0x10 : 0) | (first && randomAccess ? 0x40 : 0));
                    var fill = 6;
                    if (withPcr)
                    {
                        WritePcr(packet[6..], pcr90k!.Value);
                        fill = 12;
                    }
                    packet[fill..(4 + adaptation)].Fill(0xFF);
                }
            }
            pes[..room].CopyTo(packet[(4 + adaptation)..]);
            output.Advance(TsPacket.Size);
            pes = pes[room..];
            first = false;
        }
    }

    /// <summary>program_clock_reference_base (33 bits, 90 kHz), 6 reserved bits, extension 0 (9 bits).</summary>
    private static void WritePcr(Span<byte> field, long pcr90k)
    {
        var pcrBase = pcr90k & ((1L << 33) - 1);
        field[0] = (byte)(pcrBase >> 25);
        field[1] = (byte)(pcrBase >> 17);
        field[2] = (byte)(pcrBase >> 9);
        field[3] = (byte)(pcrBase >> 1);
        field[4] = (byte)(((pcrBase & 1) << 7) | 0x7E);
        field[5] = 0;
    }
}
