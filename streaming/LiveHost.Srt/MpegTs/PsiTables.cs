using System.Buffers.Binary;

namespace LiveHost.Srt.MpegTs;

/// <summary>
/// The program tables of a one-program stream (ISO 13818-1 2.4.4): the PAT names program 1's PMT PID, and the PMT lists
/// H.264 (stream_type 0x1B) and AAC in ADTS (0x0F), with the PCR on the video PID. Each is one section in one packet.
/// </summary>
public static class PsiTables
{
    public const byte StreamTypeH264 = 0x1B;
    public const byte StreamTypeAacAdts = 0x0F;
    public const ushort ProgramNumber = 1;

    /// <summary>Writes the PAT packet (188 bytes).</summary>
    public static void WritePat(Span<byte> packet, int continuityCounter)
    {
        Span<byte> section = stackalloc byte[12];
        section[0] = 0x00; // table_id
        WriteSectionLength(section);
        BinaryPrimitives.WriteUInt16BigEndian(section[3..], 1); // transport_stream_id
        section[5] = 0xC1; // reserved 11, version 0, current_next 1
        section[6] = 0; // section_number
        section[7] = 0; // last_section_number
        BinaryPrimitives.WriteUInt16BigEndian(section[8..], ProgramNumber);
        BinaryPrimitives.WriteUInt16BigEndian(section[10..], (ushort)(0xE000 | TsPacket.PmtPid));
        WriteSectionPacket(packet, TsPacket.PatPid, continuityCounter, section);
    }

    /// <summary>Writes the PMT packet (188 bytes): video on <see cref="TsPacket.VideoPid"/> (PCR there too), audio on <see cref="TsPacket.AudioPid"/>.</summary>
    public static void WritePmt(Span<byte> packet, int continuityCounter)
    {
        Span<byte> section = stackalloc byte[22];
        section[0] = 0x02;
        WriteSectionLength(section);
        BinaryPrimitives.WriteUInt16BigEndian(section[3..], ProgramNumber);
        section[5] = 0xC1;
        section[6] = 0;
        section[7] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(section[8..], (ushort)(0xE000 | TsPacket.VideoPid)); // PCR_PID
        BinaryPrimitives.WriteUInt16BigEndian(section[10..], 0xF000); // program_info_length 0
        WriteStream(section[12..], StreamTypeH264, TsPacket.VideoPid);
        WriteStream(section[17..], StreamTypeAacAdts, TsPacket.AudioPid);
        WriteSectionPacket(packet, TsPacket.PmtPid, continuityCounter, section);
    }

    private static void WriteStream(Span<byte> entry, byte streamType, ushort pid)
    {
        entry[0] = streamType;
        BinaryPrimitives.WriteUInt16BigEndian(entry[1..], (ushort)(0xE000 | pid));
        BinaryPrimitives.WriteUInt16BigEndian(entry[3..], 0xF000); // ES_info_length 0
    }

    // section_syntax_indicator 1, '0', reserved 11, then section_length: the bytes after it, CRC included.
    private static void WriteSectionLength(Span<byte> section) =>
        BinaryPrimitives.WriteUInt16BigEndian(section[1..], (ushort)(0xB000 | (section.Length + 4 - 3)));

    private static void WriteSectionPacket(Span<byte> packet, ushort pid, int continuityCounter, ReadOnlySpan<byte> section)
    {
        TsPacket.WriteHeader(packet, pid, payloadUnitStart: true, hasAdaptationField: false, continuityCounter);
        packet[4] = 0; // pointer_field
        section.CopyTo(packet[5..]);
        var crc = Crc32Mpeg2.Compute(section);
        BinaryPrimitives.WriteUInt32BigEndian(packet[(5 + section.Length)..], crc);
        packet[(9 + section.Length)..TsPacket.Size].Fill(0xFF);
    }
}
