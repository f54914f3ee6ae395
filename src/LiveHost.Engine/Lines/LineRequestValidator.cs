using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Speech;

namespace LiveHost.Engine.Lines;

/// <summary>Checks a line request before anything is stored or queued, and says exactly what is wrong.</summary>
public sealed class LineRequestValidator(ISpeechSynthesizer speech, EngineOptions options)
{
    public static readonly IReadOnlyList<string> Languages = ["en", "zh"];

    public ValidatedLine Validate(LineRequest request, string roomLanguage)
    {
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new CommandRejectedException(RejectionCode.TextEmpty, "text is empty: send the words the host should say");
        }
        if (text.Length > options.MaxTextLength)
        {
            throw new CommandRejectedException(
                RejectionCode.TextTooLong,
                $"text is {text.Length} characters long; the limit is {options.MaxTextLength}: split it into several lines");
        }

        var language = string.IsNullOrWhiteSpace(request.Language) ? roomLanguage : request.Language.Trim().ToLowerInvariant();
        if (!Languages.Contains(language))
        {
            throw new CommandRejectedException(
                RejectionCode.UnknownLanguage,
                $"unknown language '{request.Language}': use one of {string.Join(", ", Languages)}");
        }

        var voiceId = string.IsNullOrWhiteSpace(request.Voice) ? null : request.Voice.Trim();
        if (!speech.TryResolveVoice(language, voiceId, out var voice))
        {
            var known = string.Join(", ", speech.Voices.Where(v => v.Language == language).Select(v => v.Id));
            throw new CommandRejectedException(
                RejectionCode.UnknownVoice,
                $"unknown voice '{request.Voice}' for language '{language}': use one of {known}");
        }

        if (request.Tag is { Length: var tagLength } && tagLength > options.MaxTagLength)
        {
            throw new CommandRejectedException(
                RejectionCode.InvalidInput,
                $"tag is {tagLength} characters long; the limit is {options.MaxTagLength}");
        }

        return new ValidatedLine(text, language, voice, request.Tag);
    }
}
