using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Where the face is on one package frame, in package pixels: written as <c>[x, y, w, h]</c> in the manifest.
/// </summary>
[JsonConverter(typeof(FaceBoxJsonConverter))]
public readonly record struct FaceBox(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>True when the box lies inside a frame of the given size.</summary>
    public bool FitsIn(int frameWidth, int frameHeight) =>
        !IsEmpty && X >= 0 && Y >= 0 && Right <= frameWidth && Bottom <= frameHeight;

    /// <summary>The manifest form, <c>[x,y,w,h]</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"[{X},{Y},{Width},{Height}]");

    /// <summary>A sub-box given as fractions of this box (the mouth region is stored that way in the manifest).</summary>
    public FaceBox Part(in RelativeRegion region) => new(
        X + (int)MathF.Round(region.X * Width),
        Y + (int)MathF.Round(region.Y * Height),
        Math.Max(1, (int)MathF.Round(region.Width * Width)),
        Math.Max(1, (int)MathF.Round(region.Height * Height)));
}

/// <summary>A rectangle in fractions (0..1) of another one; <c>[x, y, w, h]</c> in the manifest.</summary>
[JsonConverter(typeof(RelativeRegionJsonConverter))]
public readonly record struct RelativeRegion(float X, float Y, float Width, float Height)
{
    /// <summary>
    /// Where the mouth sits in a BlazeFace-style face box (forehead to chin, cheek to cheek): the middle 60% of the
    /// width, from 58% to 95% of the height. Wav2Lip regenerates the lower half; this is the part that moves most.
    /// </summary>
    public static RelativeRegion DefaultMouth { get; } = new(0.2f, 0.58f, 0.6f, 0.37f);

    /// <summary>The manifest form, <c>[x,y,w,h]</c> (four decimals).</summary>
    public override string ToString() =>
        FormattableString.Invariant($"[{Math.Round(X, 4)},{Math.Round(Y, 4)},{Math.Round(Width, 4)},{Math.Round(Height, 4)}]");

    public bool IsValid =>
        X >= 0 && Y >= 0 && Width > 0 && Height > 0 && X + Width <= 1.0001f && Y + Height <= 1.0001f;
}

internal sealed class FaceBoxJsonConverter : JsonConverter<FaceBox>
{
    public override FaceBox Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Span<int> values = stackalloc int[4];
        JsonArrays.ReadFour(ref reader, values, static (ref Utf8JsonReader r) => r.GetInt32());
        return new FaceBox(values[0], values[1], values[2], values[3]);
    }

    // One line per box even in an indented manifest: a package has hundreds of them.
    public override void Write(Utf8JsonWriter writer, FaceBox value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.ToString(), skipInputValidation: true);
}

internal sealed class RelativeRegionJsonConverter : JsonConverter<RelativeRegion>
{
    public override RelativeRegion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Span<float> values = stackalloc float[4];
        JsonArrays.ReadFour(ref reader, values, static (ref Utf8JsonReader r) => r.GetSingle());
        return new RelativeRegion(values[0], values[1], values[2], values[3]);
    }

    public override void Write(Utf8JsonWriter writer, RelativeRegion value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.ToString(), skipInputValidation: true);
}

internal static class JsonArrays
{
    public delegate T ReadValue<T>(ref Utf8JsonReader reader);

    /// <summary>Reads exactly four numbers in a JSON array; anything else is a <see cref="JsonException"/>.</summary>
    public static void ReadFour<T>(ref Utf8JsonReader reader, scoped Span<T> values, ReadValue<T> read)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Expected an array of four numbers.");
        for (var i = 0; i < 4; i++)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException("Expected an array of four numbers.");
            }
            values[i] = read(ref reader);
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("Expected an array of exactly four numbers.");
        }
    }
}
