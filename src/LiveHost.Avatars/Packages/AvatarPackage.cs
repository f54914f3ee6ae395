namespace LiveHost.Avatars.Packages;

/// <summary>
/// A loaded, consent-checked avatar package. Frames are kept as their JPEG bytes (about 30-80 KB each at 640x360
/// or 720p, so an 8 s loop is a few MB) and decoded per frame by each avatar into its own reusable bitmap
/// (<see cref="PackageFrameDecoder"/>): holding 200 decoded 720p frames would take 740 MB per package. Immutable and
/// safe to share between rooms.
/// </summary>
public sealed class AvatarPackage
{
    private readonly ReadOnlyMemory<byte>[] _frames;

    private readonly ReadOnlyMemory<byte>[] _atlasSamples;

    internal AvatarPackage(string directory, AvatarPackageManifest manifest, ReadOnlyMemory<byte>[] frames, ReadOnlyMemory<byte>[]? atlasSamples = null)
    {
        _atlasSamples = atlasSamples ?? [];
        Directory = directory;
        Manifest = manifest;
        _frames = frames;
        Faces = manifest.Faces!.Boxes;
        FrameCount = manifest.Frames!.Count;
        Actions = manifest.Actions ?? [];
        _actionStarts = new int[Actions.Count];
        var faces = new List<FaceBox>(Faces);
        var start = FrameCount;
        for (var i = 0; i < Actions.Count; i++)
        {
            _actionStarts[i] = start;
            start += Actions[i].Count;
            faces.AddRange(Actions[i].Boxes);
        }
        _storedFaces = faces;
        MouthRegion = manifest.Faces.MouthRegion;
        Consent = manifest.Consent!;
        PingPong = manifest.Frames!.Loop == FrameSource.PingPong;
        Crop = PresenterFraming.TryParseCrop(manifest.Crop, out var crop) ? crop : PresenterCrop.WaistUp;
        // Where the face may be at any moment: in the loop or in an action.
        var union = faces.Count == 0 ? default : faces[0];
        foreach (var box in faces)
        {
            var left = Math.Min(union.X, box.X);
            var top = Math.Min(union.Y, box.Y);
            union = new FaceBox(left, top, Math.Max(union.Right, box.Right) - left, Math.Max(union.Bottom, box.Bottom) - top);
        }
        FaceExtent = union;
    }

    /// <summary>How much of the person the frames show (manifest <c>crop</c>).</summary>
    public PresenterCrop Crop { get; }

    /// <summary>The smallest box holding the face box of every frame: where the face may be at any moment of the loop.</summary>
    public FaceBox FaceExtent { get; }

    /// <summary>The package's folder (absolute).</summary>
    public string Directory { get; }

    public AvatarPackageManifest Manifest { get; }

    public string Id => Manifest.Id;

    public string DisplayName => Manifest.DisplayName;

    public int Width => Manifest.Width;

    public int Height => Manifest.Height;

    public double Fps => Manifest.Fps;

    /// <summary>Frames of the idle loop (stored frames 0..FrameCount-1).</summary>
    public int FrameCount { get; }

    /// <summary>The package's actions (manifest <c>actions</c>); their frames follow the loop's: see <see cref="ActionStart"/>.</summary>
    public IReadOnlyList<PackageAction> Actions { get; }

    private readonly int[] _actionStarts;
    private readonly IReadOnlyList<FaceBox> _storedFaces;

    /// <summary>Every stored frame: the loop's, then each action's in turn.</summary>
    public int StoredFrameCount => _frames.Length;

    /// <summary>The stored index of the first frame of action <paramref name="action"/> (its frames follow in order).</summary>
    public int ActionStart(int action) => _actionStarts[action];

    /// <summary>The face box of any stored frame (the loop's or an action's).</summary>
    public FaceBox FaceOf(int storedFrame) => _storedFaces[storedFrame];

    public bool PingPong { get; }

    /// <summary>The face box of each stored frame, in package pixels.</summary>
    public IReadOnlyList<FaceBox> Faces { get; }

    /// <summary>Where the mouth is, as fractions of a face box.</summary>
    public RelativeRegion MouthRegion { get; }

    public ConsentRecord Consent { get; }

    public ModelReference? LipSyncModel => Manifest.Models?.LipSync;

    /// <summary>The mouth atlas (<c>lipSync: atlas</c>), or null when the package has none or does not use it.</summary>
    public MouthAtlas? Atlas => Manifest.LipSync == AvatarPackageManifest.AtlasLipSync ? Manifest.Atlas : null;

    /// <summary>The PNG of atlas sample <paramref name="index"/> (in the order of <see cref="MouthAtlas.Samples"/>).</summary>
    public ReadOnlyMemory<byte> AtlasSamplePng(int index) => _atlasSamples[index];

    /// <summary>The JPEG of stored frame <paramref name="index"/> (the loop's, or an action's: see <see cref="ActionStart"/>).</summary>
    public ReadOnlyMemory<byte> FrameJpeg(int index) => _frames[index];

    /// <summary>Absolute path of a model the manifest references (already hash-checked at load).</summary>
    public string ModelPath(ModelReference model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Path.GetFullPath(Path.Combine(Directory, model.Path));
    }

    /// <summary>
    /// The stored frame to show at loop position <paramref name="frameIndex"/>: forward then backward for a
    /// ping-pong loop (0,1,..,n-1,n-2,..,1,0,1,..), so the idle loop never jumps; plain wrap-around otherwise.
    /// </summary>
    public int LoopFrame(long frameIndex) => LoopFrame(frameIndex, FrameCount, PingPong);

    public static int LoopFrame(long frameIndex, int count, bool pingPong)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (count == 1) return 0;
        if (!pingPong) return (int)(((frameIndex % count) + count) % count);
        long period = 2L * (count - 1);
        var position = (int)(((frameIndex % period) + period) % period);
        return position < count ? position : (int)(period - position);
    }
}
