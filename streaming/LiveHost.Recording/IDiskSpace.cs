namespace LiveHost.Recording;

/// <summary>Free bytes on the disk that holds a folder (a seam, so the disk-space floor is testable without filling a disk).</summary>
public interface IDiskSpace
{
    long FreeBytes(string directory);
}

/// <summary>The real disk, as <see cref="DriveInfo.AvailableFreeSpace"/> reports it for the folder's mount.</summary>
public sealed class DriveDiskSpace : IDiskSpace
{
    public long FreeBytes(string directory) => new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
}
