namespace LiveHost.Srt.MpegTs;

/// <summary>
/// The 4-byte transport packet header (ISO 13818-1 2.4.3.2):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  sync 0x47    |E|S|P|          PID            |TSC|AFC|  CC   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// S: payload_unit_start_indicator; AFC: 01 payload only, 10 adaptation field only, 11 both; CC: continuity counter,
/// per PID, counting packets that carry payload.
/// </summary>
public static class TsPacket
{
    public const int Size = 188;
    public const byte SyncByte = 0x47;
    public const int HeaderSize = 4;

    public const ushort PatPid = 0x0000;
    public const ushort PmtPid = 0x1000;
    public const ushort VideoPid = 0x0100;
    public const ushort AudioPid = 0x0101;

    public static void WriteHeader(Span<byte> packet, ushort pid, bool payloadUnitStart, bool hasAdaptationField, int continuityCounter)
    {
        packet[0] = SyncByte;
        packet[1] = (byte)((payloadUnitStart ? 0x40 : 0) | ((pid >> 8) & 0x1F));
        packet[2] = (byte)pid;
        packet[3] = (byte)((hasAdaptationField ? 0x30 : 0x10) | (continuityCounter & 0x0F));
    }

    /// <summary>Parses a packet's header fields; false when it does not start with the sync byte or is short.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out ushort pid, out bool payloadUnitStart, out int adaptationFieldControl, out int continuityCounter)
    {
        pid = 0;
        payloadUnitStart = false;
        adaptationFieldControl = 0;
        continuityCounter = 0;
        if (packet.Length < Size || packet[0] != SyncByte) return false;
        pid = (ushort)(((packet[1] & 0x1F) << 8) | packet[2]);
        payloadUnitStart = (packet[1] & 0x40) != 0;
        adaptationFieldControl = (packet[3] >> 4) & 0x03;
        continuityCounter = packet[3] & 0x0F;
        return adaptationFieldControl != 0;
    }

    /// <summary>The payload of a packet (after the adaptation field, if any); empty when it has none or is malformed.</summary>
    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet)
    {
        if (!TryReadHeader(packet, out _, out _, out var afc, out _)) return default;
        var start = HeaderSize;
        if ((afc & 0x02) != 0)
        {
            start += 1 + packet[4];
            if (start > Size) return default;
        }
        return (afc & 0x01) != 0 ? packet[start..Size] : default;
    }
}
