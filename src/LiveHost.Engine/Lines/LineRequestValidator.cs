using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Speech;

namespace LiveHost.Engine.Lines;

/// <summary>
/// Checks a line request before anything is stored or queued, and says exactly what is wrong. A product is checked
/// against <paramref name="products"/> when there is one (unknown: <see cref="RejectionCode.UnknownProduct"/>).
/// </summary>
public sealed class LineRequestValidator(ISpeechSynthesizer speech, EngineOptions options, IProductCatalog? products = null)
{
    public static readonly IReadOnlyList<string> Languages = ["en", "zh"];

    public ValidatedLine Validate(LineRequest request, string roomLanguage)
    {
        var text = CheckText(request.Text, "text");

        var language = string.IsNullOrWhiteSpace(request.Language) ? roomLanguage : request.Language.Trim().ToLowerInvariant();
        if (!Languages.Contains(language))
        {
            throw new CommandRejectedException(
                RejectionCode.UnknownLanguage,
                $"unknown language '{request.Language}': use one of {string.Join(", ", Languages)}");
        }

        var voice = CheckVoice(language, request.Voice);

        if (request.Tag is { Length: var tagLength } && tagLength > options.MaxTagLength)
        {
            throw new CommandRejectedException(
                RejectionCode.InvalidInput,
                $"tag is {tagLength} characters long; the limit is {options.MaxTagLength}");
        }

        var caption = request.Caption is null ? null : CheckText(request.Caption, "caption");
        return new ValidatedLine(text, language, voice, request.Tag, CheckProduct(request.Product), caption);
    }

    /// <summary>The voice <paramref name="requested"/> names for <paramref name="language"/> (none: the language's default), or a refusal listing the voices there are.</summary>
    public VoiceInfo CheckVoice(string language, string? requested)
    {
        var voiceId = string.IsNullOrWhiteSpace(requested) ? null : requested.Trim();
        if (!speech.TryResolveVoice(language, voiceId, out var voice))
        {
            var known = string.Join(", ", speech.Voices.Where(v => v.Language == language).Select(v => v.Id));
            throw new CommandRejectedException(
                RejectionCode.UnknownVoice,
                $"unknown voice '{requested}' for language '{language}': use one of {known}");
        }
        return voice;
    }

    private string? CheckProduct(string? raw)
    {
        if (raw is null) return null;
        var product = raw.Trim();
        if (product.Length == 0)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, "product is empty: send a product id, or leave product out");
        }
        if (product.Length > options.MaxTagLength)
        {
            throw new CommandRejectedException(
                RejectionCode.InvalidInput,
                $"product is {product.Length} characters long; a product id has at most {options.MaxTagLength}");
        }
        if (products is not null && !products.Contains(product))
        {
            throw new CommandRejectedException(RejectionCode.UnknownProduct, $"unknown product '{product}': create it first (POST /api/products) or leave product out");
        }
        return product;
    }


    /// <summary>The text rules of <see cref="LineText"/>: the cleaned text, or a refusal that says what to change.</summary>
    private string CheckText(string? raw, string field)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new CommandRejectedException(RejectionCode.TextEmpty, $"{field} is empty: send the words the host should say");
        }
        switch (LineText.Clean(raw, out var text, out var position, out var codePoint))
        {
            case LineText.Problem.ControlCharacter:
                throw new CommandRejectedException(
                    RejectionCode.InvalidInput,
                    $"{field} contains the control character U+{codePoint:X4} at character {position}: remove it " +
                    "(control characters are not spoken; tabs and line breaks are allowed)");
            case LineText.Problem.LoneSurrogate:
                throw new CommandRejectedException(
                    RejectionCode.InvalidInput,
                    $"{field} is not valid Unicode: a lone surrogate U+{codePoint:X4} at character {position}; send UTF-8 or valid UTF-16");
        }
        if (LineText.IsBlank(text))
        {
            throw new CommandRejectedException(
                RejectionCode.TextEmpty,
                $"{field} is empty once invisible characters (zero-width, byte order marks, bidirectional marks) are removed: send the words the host should say");
        }
        var length = LineText.VisibleLength(text);
        if (length > options.MaxTextLength)
        {
            throw new CommandRejectedException(
                RejectionCode.TextTooLong,
                $"{field} is {length} characters long; the limit is {options.MaxTextLength}: split it into several lines " +
                "(characters are counted as users see them: grapheme clusters)");
        }
        return text;
    }
}
