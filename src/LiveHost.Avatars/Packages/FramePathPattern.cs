using System.Globalization;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// A printf-style frame name with exactly one <c>%0Nd</c> (or <c>%d</c>) index, as ffmpeg writes them, e.g.
/// <c>frames/%05d.jpg</c>. Relative, forward slashes, no <c>..</c>: a manifest cannot point outside its package.
/// </summary>
public readonly record struct FramePathPattern(string Prefix, int Digits, string Suffix)
{
    public static bool TryParse(string? pattern, out FramePathPattern result)
    {
        result = default;
        if (!IsSafeRelativePath(pattern)) return false;
        var percent = pattern.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0 || pattern.IndexOf('%', percent + 1) >= 0) return false;
        var end = pattern.IndexOf('d', percent + 1);
        if (end < 0) return false;
        var width = pattern.AsSpan(percent + 1, end - percent - 1);
        var digits = 0;
        if (!width.IsEmpty)
        {
            if (width[0] != '0' || width.Length < 2 || width.Length > 3) return false;
            if (!int.TryParse(width[1..], NumberStyles.None, CultureInfo.InvariantCulture, out digits)) return false;
            if (digits is < 1 or > 9) return false;
        }
        result = new FramePathPattern(pattern[..percent], digits, pattern[(end + 1)..]);
        return true;
    }

    /// <summary>A relative path with forward slashes and no empty, <c>.</c> or <c>..</c> parts: it stays in the package.</summary>
    public static bool IsSafeRelativePath([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 200) return false;
        if (Path.IsPathRooted(path) || path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal)) return false;
        return !path.Split('/').Any(part => part is ".." or "." || part.Length == 0);
    }

    /// <summary>The relative path of frame <paramref name="index"/> (counting from 0).</summary>
    public string PathOf(int index) =>
        Prefix + index.ToString(Digits > 0 ? "D" + Digits.ToString(CultureInfo.InvariantCulture) : "D", CultureInfo.InvariantCulture) + Suffix;

    public override string ToString() => Digits > 0 ? $"{Prefix}%0{Digits}d{Suffix}" : $"{Prefix}%d{Suffix}";
}
