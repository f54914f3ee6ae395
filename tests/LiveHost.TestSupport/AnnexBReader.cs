namespace LiveHost.TestSupport;

/// <summary>Test fixture helper: splits an H.264 Annex-B byte stream (00 00 01 / 00 00 00 01 start codes) into NAL units.</summary>
public static class AnnexBReader
{
    public static List<ArraySegment<byte>> SplitNalUnits(byte[] stream)
    {
        var units = new List<ArraySegment<byte>>();
        var start = -1;
        var i = 0;
        while (i + 2 < stream.Length)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                if (start >= 0) units.Add(Trim(stream, start, i));
                i += 3;
                start = i;
                continue;
            }
            i++;
        }
        if (start >= 0 && start < stream.Length) units.Add(Trim(stream, start, stream.Length));
        return units;
    }

    // A 4-byte start code leaves a trailing zero on the previous unit; trailing zeros are never part of a NAL unit.
    private static ArraySegment<byte> Trim(byte[] stream, int start, int end)
    {
        while (end > start && stream[end - 1] == 0) end--;
        return new ArraySegment<byte>(stream, start, end - start);
    }
}
