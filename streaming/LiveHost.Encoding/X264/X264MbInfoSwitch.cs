namespace LiveHost.Encoding.X264;

/// <summary>
/// Turns on x264_param_t.analyse.b_mb_info, the one setting <see cref="UnchangedMacroblockMap"/> needs that has no
/// option name for x264_param_parse. Its offset inside the (undeclared, build-specific) struct is found rather than
/// assumed: in x264.h's analyse block it sits right after b_psy and is followed by b_mb_info_update,
/// i_luma_deadzone[2] and b_psnr, and those three neighbours do have option names. Toggling each by name on a copy of
/// the parameters and seeing which int changed locates b_psy, and the deadzone and psnr ints confirm the layout
/// around it; only when all three agree is b_mb_info written.
/// </summary>
internal static unsafe class X264MbInfoSwitch
{
    /// <summary>Sets b_mb_info in <paramref name="param"/> (a buffer of <see cref="X264Native.ParamBufferBytes"/>).</summary>
    /// <exception cref="InvalidOperationException">The neighbours are not where x264.h puts them (another build's layout).</exception>
    public static void Enable(nint param)
    {
        var offset = FindOffset(param);
        var flag = (int*)((byte*)param + offset);
        if (*flag is not (0 or 1)) throw new InvalidOperationException($"x264_param_t.analyse.b_mb_info is not where {X264Native.Library} (API build {X264Native.Build}) should keep it");
        *flag = 1;
    }

    /// <summary>The byte offset of analyse.b_mb_info in x264_param_t.</summary>
    public static int FindOffset(nint param)
    {
        var copy = new byte[X264Native.ParamBufferBytes];
        new ReadOnlySpan<byte>((void*)param, copy.Length).CopyTo(copy);
        fixed (byte* scratch = copy)
        {
            var psy = ChangedInt((nint)scratch, "psy", "0", "1");
            var deadzone = ChangedInt((nint)scratch, "deadzone-inter", "3", "7");
            var psnr = ChangedInt((nint)scratch, "psnr", "0", "1");
            // b_psy, b_mb_info, b_mb_info_update, i_luma_deadzone[0], i_luma_deadzone[1], b_psnr.
            if (psy < 0 || deadzone != psy + 12 || psnr != psy + 20)
            {
                throw new InvalidOperationException($"x264_param_t's analyse block is not laid out as in API build {X264Native.Build} (psy at {psy}, deadzone-inter at {deadzone}, psnr at {psnr})");
            }
            return psy + 4;
        }
    }

    // Parses name=first, then name=second, and returns the offset of the one int that changed (-1 if not exactly one).
    private static int ChangedInt(nint param, string name, string first, string second)
    {
        if (X264Native.ParamParse(param, name, first) != 0) throw new InvalidOperationException($"x264 refused option {name}={first}");
        var before = new ReadOnlySpan<int>((void*)param, X264Native.ParamBufferBytes / 4).ToArray();
        if (X264Native.ParamParse(param, name, second) != 0) throw new InvalidOperationException($"x264 refused option {name}={second}");
        var after = new ReadOnlySpan<int>((void*)param, X264Native.ParamBufferBytes / 4);
        var found = -1;
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == after[i]) continue;
            if (found >= 0) return -1;
            found = i * 4;
        }
        return found;
    }
}
