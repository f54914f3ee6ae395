using System.Globalization;
using LiveHost.Recording.Mp4;

namespace LiveHost.Recording;

/// <summary>
/// A room's recordings folder: files named <c>{room}-{yyyyMMdd-HHmmss}Z.mp4</c> after the UTC time they started
/// (<c>-2</c>, <c>-3</c>... when two start in the same second), listed from what is on disk so files from earlier runs
/// (and one cut by a crash) are listed too.
/// </summary>
public sealed class RecordingFolder(string room, string directory)
{
    private const string StampFormat = "yyyyMMdd-HHmmss";

    public string Directory => directory;

    public string NewFilePath(DateTimeOffset start)
    {
        System.IO.Directory.CreateDirectory(directory);
        var stem = $"{room}-{start.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture)}Z";
        var path = Path.Combine(directory, stem + ".mp4");
        for (var n = 2; File.Exists(path); n++) path = Path.Combine(directory, $"{stem}-{n}.mp4");
        return path;
    }

    /// <summary>The room's files, oldest first; <paramref name="currentPath"/> is the one being written, if any.</summary>
    public IReadOnlyList<RecordingFileInfo> List(string? currentPath)
    {
        var files = new List<RecordingFileInfo>();
        foreach (var (path, start) in Files())
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var summary = Mp4RecordingReader.Read(stream);
                files.Add(new RecordingFileInfo(Path.GetFileName(path), start, summary.Duration, stream.Length,
                    string.Equals(path, currentPath, StringComparison.Ordinal)));
            }
            catch (IOException)
            {
                // Deleted (retention) between the listing and the read: not a recording any more.
            }
        }
        return files;
    }

    /// <summary>Files last written before <paramref name="now"/> minus <paramref name="retention"/>, except <paramref name="keep"/>.</summary>
    public IReadOnlyList<string> Expired(DateTimeOffset now, TimeSpan retention, string? keep)
    {
        if (retention <= TimeSpan.Zero) return [];
        var cutoff = now - retention;
        return Files().Select(f => f.Path)
            .Where(p => !string.Equals(p, keep, StringComparison.Ordinal) && File.GetLastWriteTimeUtc(p) < cutoff.UtcDateTime)
            .ToArray();
    }

    private IEnumerable<(string Path, DateTimeOffset Start)> Files()
    {
        if (!System.IO.Directory.Exists(directory)) return [];
        var found = new List<(string, DateTimeOffset)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, room + "-*.mp4"))
        {
            if (TryParseStart(Path.GetFileName(path), out var start)) found.Add((path, start));
        }
        // "-2" sorts after the plain name: by start, then by the name's length, then the name.
        return found.OrderBy(f => f.Item2).ThenBy(f => f.Item1.Length).ThenBy(f => f.Item1, StringComparer.Ordinal);
    }

    /// <summary>The start time in a name this folder gave; false for any other file (which is never listed or deleted).</summary>
    public bool TryParseStart(string fileName, out DateTimeOffset start)
    {
        start = default;
        var prefix = room + "-";
        if (!fileName.StartsWith(prefix, StringComparison.Ordinal) || !fileName.EndsWith(".mp4", StringComparison.Ordinal)) return false;
        var stamp = fileName.AsSpan(prefix.Length);
        if (stamp.Length < StampFormat.Length + 1 + 4 || stamp[StampFormat.Length] != 'Z') return false;
        var rest = stamp[(StampFormat.Length + 1)..^4];
        if (!rest.IsEmpty && (rest[0] != '-' || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out _))) return false;
        if (!DateTime.TryParseExact(stamp[..StampFormat.Length], StampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc)) return false;
        start = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }
}
