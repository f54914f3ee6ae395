using System.Buffers.Binary;

namespace LiveHost.Engine.Audio;

/// <summary>
/// The parts of a RIFF/WAVE file a recorded line needs: the <c>fmt </c> chunk and where the <c>data</c> chunk lies.
/// <code>
///   "RIFF" size "WAVE" { chunk-id(4) chunk-size(4, LE) body [pad to even] }*
///   fmt : format-tag(2) channels(2) sample-rate(4) byte-rate(4) block-align(2) bits-per-sample(2) [cb-size(2) ...]
///   WAVE_FORMAT_EXTENSIBLE (0xFFFE): ... valid-bits(2) channel-mask(4) sub-format GUID(16, first 2 bytes = tag)
/// </code>
/// Streaming writers (ffmpeg to a pipe) leave the data size as 0 or 0xFFFFFFFF; a data size past the end of the
/// input means "to the end", so such files are read whole.
/// </summary>
public readonly record struct WavHeader(int FormatTag, int Channels, int SampleRate, int BlockAlign, int BitsPerSample, int DataOffset, int DataLength)
{
    public const int Pcm = 1;
    public const int Extensible = 0xFFFE;

    /// <summary>Reads the header; on failure <paramref name="problem"/> says what is wrong. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> file, out WavHeader header, out string? problem)
    {
        header = default;
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            problem = "the body is not a WAV file (it does not start with RIFF....WAVE)";
            return false;
        }

        int? tag = null;
        int channels = 0, rate = 0, blockAlign = 0, bits = 0;
        var position = 12;
        while (position <= file.Length - 8)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4));
            var body = position + 8;
            var available = file.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > available)
                {
                    problem = "the WAV fmt chunk is cut short";
                    return false;
                }
                var fmt = file.Slice(body, (int)size);
                tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                rate = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]), int.MaxValue);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (tag == Extensible && fmt.Length >= 26)
                {
                    tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (tag is null)
                {
                    problem = "the WAV data chunk comes before any fmt chunk";
                    return false;
                }
                var length = size > available ? available : (int)size;
                header = new WavHeader(tag.Value, channels, rate, blockAlign, bits, body, length);
                problem = null;
                return true;
            }

            // Chunks are padded to an even length.
            var next = body + (long)size + (size & 1);
            if (next > file.Length) break;
            position = (int)next;
        }

        problem = tag is null ? "the WAV file has no fmt chunk" : "the WAV file has no data chunk";
        return false;
    }
}
