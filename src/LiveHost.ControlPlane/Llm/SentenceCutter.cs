using System.Text;

namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// Cuts a streamed answer into sentences as the tokens arrive. A sentence ends at 。！？ or a newline at once, and at
/// . ! ? when whitespace follows (so "29.90" and "e.g." inside a word do not cut; the last one waits for
/// <see cref="Flush"/>). Sentences are trimmed; ones without a letter or digit (a stray "。") are dropped.
/// </summary>
public sealed class SentenceCutter
{
    private readonly StringBuilder _pending = new();

    public IReadOnlyList<string> Append(string token)
    {
        List<string>? done = null;
        foreach (var c in token)
        {
            if (_pending.Length > 0 && char.IsWhiteSpace(c) && _pending[^1] is '.' or '!' or '?') Cut(ref done);
            _pending.Append(c);
            if (c is '。' or '！' or '？' or '\n') Cut(ref done);
        }
        return done ?? (IReadOnlyList<string>)[];
    }

    /// <summary>What is left once the stream ended (a last sentence without a final space), or null.</summary>
    public string? Flush()
    {
        var rest = _pending.ToString().Trim();
        _pending.Clear();
        return rest.Any(char.IsLetterOrDigit) ? rest : null;
    }

    private void Cut(ref List<string>? done)
    {
        var sentence = _pending.ToString().Trim();
        _pending.Clear();
        if (sentence.Any(char.IsLetterOrDigit)) (done ??= []).Add(sentence);
    }
}
