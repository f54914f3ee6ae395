using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using LiveHost.Media.Codecs;
using LiveHost.Media;

namespace LiveHost.Encoding.X264;

/// <summary>
/// One libx264 encoder in this process, set up as the room's H.264 always is: Constrained Baseline, zerolatency, a
/// fixed GOP of two seconds without scene-cut IDRs, VBV-capped bitrate, length-prefixed (AVCC) output and parameter
/// sets out of band. Unlike ffmpeg's command line it takes a per-frame picture type, so
/// <see cref="Encode"/> can make any frame an IDR when a viewer asks for one.
/// Not thread-safe: one encode loop owns it.
/// </summary>
public sealed unsafe class X264Encoder : IDisposable
{
    private readonly MediaFormat _format;
    private nint _encoder;
    private nint _pictureIn;
    private nint _pictureOut;
    private bool _pictureAllocated;
    // Set when unchanged macroblocks are skipped: which macroblocks the incremental conversion left as they were.
    private UnchangedMacroblockMap? _unchanged;
    // The frame whose picture the input buffer holds (-1: none whole).
    private long _lastConverted = -1;
    // The frame x264 coded last (-1: none, or the last call failed): what an mb_info map must be relative to.
    private long _lastCoded = -1;

    /// <exception cref="DllNotFoundException">libx264.so.164 is not installed (Debian package libx264-164).</exception>
    /// <exception cref="InvalidOperationException">x264 refused the settings, or its structures are not laid out as build 164's.</exception>
    public X264Encoder(MediaFormat format, EncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(options);
        _format = format;
        var param = (nint)NativeMemory.AllocZeroed(X264Native.ParamBufferBytes);
        try
        {
            Configure(param, format, options);
            if (options.SkipUnchangedMacroblocks) X264MbInfoSwitch.Enable(param);
            _encoder = X264Native.EncoderOpen(param);
            if (_encoder == 0) throw new InvalidOperationException($"x264_encoder_open refused {format.Width}x{format.Height} @ {format.FramesPerSecond} fps with preset '{options.Preset}'");
        }
        finally
        {
            // x264_encoder_open copies what it needs; the buffer is ours to free.
            NativeMemory.Free((void*)param);
        }

        try
        {
            Config = ReadHeaders();
            _pictureIn = (nint)NativeMemory.AllocZeroed(X264Native.PictureBufferBytes);
            _pictureOut = (nint)NativeMemory.AllocZeroed(X264Native.PictureBufferBytes);
            if (X264Native.PictureAlloc(_pictureIn, X264Native.CspI420, format.Width, format.Height) != 0) throw new InvalidOperationException("x264_picture_alloc failed");
            _pictureAllocated = true;
            CheckPictureLayout();
            if (options.SkipUnchangedMacroblocks) _unchanged = new UnchangedMacroblockMap(format.Width, format.Height);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Pixel rows converted to I420 so far (a full frame counts its height; an incremental one its changed rows).</summary>
    public long RowsConverted { get; private set; }

    /// <summary>Macroblocks x264 was told were unchanged from the frame before (0 unless <see cref="EncoderOptions.SkipUnchangedMacroblocks"/>).</summary>
    public long MacroblocksMarkedUnchanged { get; private set; }

    /// <summary>Macroblocks in a picture.</summary>
    public int MacroblocksPerPicture => UnchangedMacroblockMap.CountFor(_format.Width, _format.Height);

    /// <summary>SPS, PPS and the AVCDecoderConfigurationRecord built from them; fixed for the encoder's life.</summary>
    public H264Config Config { get; }

    /// <summary>
    /// Encodes one BGRA frame as the picture with presentation index <paramref name="frameIndex"/>. With zerolatency
    /// and no B-frames every call returns that frame's access unit, AVCC (4-byte lengths), newly allocated.
    /// </summary>
    /// <exception cref="InvalidOperationException">x264 reported an error or returned no picture.</exception>
    public EncodedPicture Encode(ReadOnlySpan<byte> bgra, long frameIndex, bool forceIdr) => Encode(bgra, frameIndex, forceIdr, null, -1);

    /// <summary>
    /// The same, converting to I420 only <paramref name="changedRows"/> when they are relative to the frame this encoder
    /// coded last (<paramref name="previousFrameIndex"/>): x264 copies its input picture, so the picture buffer still
    /// holds that frame and only the changed rows need converting. Otherwise (the first frame, a frame dropped before
    /// it, unknown rows) every row is converted.
    /// </summary>
    public EncodedPicture Encode(ReadOnlySpan<byte> bgra, long frameIndex, bool forceIdr, ChangedRows? changedRows, long previousFrameIndex)
    {
        PreparePicture(bgra, frameIndex, changedRows, previousFrameIndex);
        return EncodePrepared(frameIndex, forceIdr);
    }

    /// <summary>The map of unchanged macroblocks the last prepared picture carries to x264 (null when the option is off).</summary>
    internal UnchangedMacroblockMap? UnchangedMacroblocks => _unchanged;

    /// <summary>Converts the frame into x264's input picture (the first half of <see cref="Encode(ReadOnlySpan{byte}, long, bool, ChangedRows?, long)"/>).</summary>
    internal void PreparePicture(ReadOnlySpan<byte> bgra, long frameIndex, ChangedRows? changedRows, long previousFrameIndex)
    {
        ObjectDisposedException.ThrowIf(_encoder == 0, this);
        var pic = (byte*)_pictureIn;
        var strides = (int*)(pic + X264Native.PictureStrideOffset);
        var planes = (byte**)(pic + X264Native.PicturePlaneOffset);
        var incremental = changedRows is not null && previousFrameIndex >= 0 && previousFrameIndex == _lastConverted;
        // Until the conversion is done the buffer holds no whole frame: a failure below leaves it unknown.
        _lastConverted = -1;
        // No mb_info unless this picture's map is complete: x264 would skip what it marks.
        *(nint*)(pic + X264Native.PictureMbInfoOffset) = 0;
        if (incremental && _unchanged is not null && previousFrameIndex == _lastCoded)
        {
            _unchanged.ConvertChangedRows(bgra, changedRows!, planes[0], strides[0], planes[1], strides[1], planes[2], strides[2]);
            *(nint*)(pic + X264Native.PictureMbInfoOffset) = (nint)_unchanged.Flags;
            MacroblocksMarkedUnchanged += _unchanged.LastConstantCount;
        }
        else if (incremental) BgraToI420.Convert(bgra, _format.Width, _format.Height, changedRows!, planes[0], strides[0], planes[1], strides[1], planes[2], strides[2]);
        else BgraToI420.Convert(bgra, _format.Width, _format.Height, planes[0], strides[0], planes[1], strides[1], planes[2], strides[2]);
        _lastConverted = frameIndex;
        RowsConverted += incremental ? changedRows!.PairCount * 2 : _format.Height;
    }

    /// <summary>Codes the picture <see cref="PreparePicture"/> left (the second half of <see cref="Encode(ReadOnlySpan{byte}, long, bool, ChangedRows?, long)"/>).</summary>
    internal EncodedPicture EncodePrepared(long frameIndex, bool forceIdr)
    {
        ObjectDisposedException.ThrowIf(_encoder == 0, this);
        if (_lastConverted != frameIndex) throw new InvalidOperationException($"frame {frameIndex} was not prepared");
        var pic = (byte*)_pictureIn;
        _lastCoded = -1;
        *(int*)(pic + X264Native.PictureTypeOffset) = forceIdr ? X264Native.TypeIdr : X264Native.TypeAuto;
        *(long*)(pic + X264Native.PicturePtsOffset) = frameIndex;

        var size = X264Native.EncoderEncode(_encoder, out var nals, out var count, _pictureIn, _pictureOut);
        if (size < 0) throw new InvalidOperationException($"x264_encoder_encode failed ({size}) on frame {frameIndex}");
        if (size == 0 || count == 0) throw new InvalidOperationException($"x264 held frame {frameIndex} back; zerolatency without B-frames should never delay");

        // x264 guarantees one frame's NAL payloads are contiguous, each already prefixed by its 4-byte length.
        var total = 0;
        for (var i = 0; i < count; i++)
        {
            if (nals[i].PayloadPointer != nals[0].PayloadPointer + total) throw new InvalidOperationException("x264 returned non-contiguous NAL units");
            total += nals[i].Payload;
        }
        if (total != size) throw new InvalidOperationException($"x264 NAL units add up to {total} bytes, the frame is {size}");

        var data = new ReadOnlySpan<byte>(nals[0].PayloadPointer, size).ToArray();
        var outPic = (byte*)_pictureOut;
        _lastCoded = frameIndex;
        return new EncodedPicture(data, *(long*)(outPic + X264Native.PicturePtsOffset), *(int*)(outPic + X264Native.PictureKeyframeOffset) != 0);
    }

    /// <summary>
    /// Copies the I420 picture last handed to x264 (what it coded) into tightly packed planes: width x height luma,
    /// then (width/2) x (height/2) for U and for V. For tests that check the incremental conversion.
    /// </summary>
    public void CopyPicture(Span<byte> y, Span<byte> u, Span<byte> v)
    {
        ObjectDisposedException.ThrowIf(_encoder == 0, this);
        int width = _format.Width, height = _format.Height;
        if (y.Length < width * height || u.Length < width * height / 4 || v.Length < width * height / 4) throw new ArgumentException("a plane is too small for the picture");
        var pic = (byte*)_pictureIn;
        var strides = (int*)(pic + X264Native.PictureStrideOffset);
        var planes = (byte**)(pic + X264Native.PicturePlaneOffset);
        for (var row = 0; row < height; row++) new ReadOnlySpan<byte>(planes[0] + row * strides[0], width).CopyTo(y.Slice(row * width, width));
        for (var row = 0; row < height / 2; row++)
        {
            new ReadOnlySpan<byte>(planes[1] + row * strides[1], width / 2).CopyTo(u.Slice(row * width / 2, width / 2));
            new ReadOnlySpan<byte>(planes[2] + row * strides[2], width / 2).CopyTo(v.Slice(row * width / 2, width / 2));
        }
    }

    public void Dispose()
    {
        if (_encoder != 0)
        {
            X264Native.EncoderClose(_encoder);
            _encoder = 0;
        }
        _unchanged?.Dispose();
        _unchanged = null;
        if (_pictureAllocated)
        {
            X264Native.PictureClean(_pictureIn);
            _pictureAllocated = false;
        }
        if (_pictureIn != 0) NativeMemory.Free((void*)_pictureIn);
        if (_pictureOut != 0) NativeMemory.Free((void*)_pictureOut);
        _pictureIn = _pictureOut = 0;
    }

    private static void Configure(nint param, MediaFormat format, EncoderOptions options)
    {
        var rc = X264Native.ParamDefaultPreset(param, options.Preset, "zerolatency");
        if (rc != 0) throw new InvalidOperationException($"x264 does not know the preset '{options.Preset}'");

        var p = (byte*)param;
        if (*(int*)(p + X264Native.ParamCspOffset) != X264Native.CspI420 || *(int*)(p + X264Native.ParamWidthOffset) != 0 || *(int*)(p + X264Native.ParamHeightOffset) != 0)
        {
            throw new InvalidOperationException($"{X264Native.Library} does not lay out x264_param_t as API build {X264Native.Build} does; use the ffmpeg video encoder (Encoder:VideoEncoder = FfmpegProcess)");
        }
        *(int*)(p + X264Native.ParamWidthOffset) = format.Width;
        *(int*)(p + X264Native.ParamHeightOffset) = format.Height;

        var gop = (2 * format.FramesPerSecond).ToString(CultureInfo.InvariantCulture);
        Parse(param, "fps", format.FramesPerSecond.ToString(CultureInfo.InvariantCulture));
        Parse(param, "keyint", gop);
        Parse(param, "min-keyint", gop);
        Parse(param, "scenecut", "0");
        Parse(param, "bframes", "0");
        Parse(param, "bitrate", options.VideoBitrateKbps.ToString(CultureInfo.InvariantCulture));
        Parse(param, "vbv-maxrate", options.VideoMaxRateKbps.ToString(CultureInfo.InvariantCulture));
        Parse(param, "vbv-bufsize", options.VideoBufferSizeKbits.ToString(CultureInfo.InvariantCulture));
        Parse(param, "threads", options.Threads > 0 ? options.Threads.ToString(CultureInfo.InvariantCulture) : "auto");
        foreach (var (name, value) in options.X264ParamPairs()) Parse(param, name, value);
        // AVCC output and parameter sets out of band: the same shape FLV carries, which RTMP and RTP both start from.
        Parse(param, "annexb", "0");
        Parse(param, "repeat-headers", "0");
        Parse(param, "log", "0"); // errors only: x264's info lines would go to the server's raw stderr
        if (X264Native.ParamApplyProfile(param, "baseline") != 0) throw new InvalidOperationException("x264 cannot apply the baseline profile to these settings");
    }

    private static void Parse(nint param, string name, string value)
    {
        var rc = X264Native.ParamParse(param, name, value);
        if (rc != 0) throw new InvalidOperationException($"x264 refused option {name}={value} ({(rc == -1 ? "unknown name" : "bad value")})");
    }

    private H264Config ReadHeaders()
    {
        if (X264Native.EncoderHeaders(_encoder, out var nals, out var count) < 0) throw new InvalidOperationException("x264_encoder_headers failed");
        byte[]? sps = null, pps = null;
        for (var i = 0; i < count; i++)
        {
            // Each payload starts with its 4-byte length; the NAL unit follows.
            var unit = new ReadOnlySpan<byte>(nals[i].PayloadPointer, nals[i].Payload);
            if (unit.Length <= 4 || BinaryPrimitives.ReadUInt32BigEndian(unit) != unit.Length - 4) throw new InvalidOperationException("x264 header NAL unit is not length-prefixed as asked");
            var body = unit[4..];
            if (H264Nal.IsSps(body)) sps ??= body.ToArray();
            else if (H264Nal.IsPps(body)) pps ??= body.ToArray();
        }
        if (sps is null || pps is null) throw new InvalidOperationException("x264 headers hold no SPS or no PPS");
        var record = AvcDecoderConfiguration.Build(sps, pps);
        int width = _format.Width, height = _format.Height;
        if (H264SequenceParameterSet.TryParse(sps, out var parsed))
        {
            width = parsed.Width;
            height = parsed.Height;
        }
        return new H264Config(sps, pps, record, width, height);
    }

    private void CheckPictureLayout()
    {
        var pic = (byte*)_pictureIn;
        var planes = (byte**)(pic + X264Native.PicturePlaneOffset);
        var strides = (int*)(pic + X264Native.PictureStrideOffset);
        if (*(int*)(pic + X264Native.PictureCspOffset) != X264Native.CspI420 || *(int*)(pic + X264Native.PicturePlaneCountOffset) != 3
            || planes[0] == null || planes[1] == null || planes[2] == null || strides[0] < _format.Width || strides[1] < _format.Width / 2)
        {
            throw new InvalidOperationException($"{X264Native.Library} does not lay out x264_picture_t as API build {X264Native.Build} does");
        }
    }
}
