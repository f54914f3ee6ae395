using System.Text;
using System.Text.Json;

namespace LiveHost.Rtmp;

/// <summary>
/// The implicit (metadata) label that GB 45438-2025 "Labeling of AI-generated synthetic content" asks for,
/// serialized as the JSON object the standard defines: Label, ContentProducer, ProduceID, ReservedCode1,
/// ContentPropagator, PropagateID, ReservedCode2. Values are strings, as in the standard's examples; unknown
/// ones are empty. Label "1" means "AI-generated".
/// </summary>
/// <remarks>
/// ProduceID identifies one production: LiveHost issues a new one per <see cref="RtmpOutputSet"/>, i.e. per room
/// broadcast session, shared by all of that session's outputs and kept across their reconnects, so that every
/// copy of the same broadcast names the same production.
/// </remarks>
public sealed record AigcLabel(
    string Label,
    string ContentProducer,
    string ProduceId,
    string ReservedCode1 = "",
    string ContentPropagator = "",
    string PropagateId = "",
    string ReservedCode2 = "")
{
    public const string AiGenerated = "1";

    /// <summary>A label for a new production: AI-generated, with a fresh random ProduceID.</summary>
    public static AigcLabel ForNewProduction(string contentProducer) =>
        new(AiGenerated, contentProducer, Guid.NewGuid().ToString("N"));

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString(nameof(Label), Label);
            json.WriteString(nameof(ContentProducer), ContentProducer);
            json.WriteString("ProduceID", ProduceId);
            json.WriteString(nameof(ReservedCode1), ReservedCode1);
            json.WriteString(nameof(ContentPropagator), ContentPropagator);
            json.WriteString("PropagateID", PropagateId);
            json.WriteString(nameof(ReservedCode2), ReservedCode2);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
