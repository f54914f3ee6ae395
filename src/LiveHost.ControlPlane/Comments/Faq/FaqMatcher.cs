using System.Globalization;
using System.Text;

namespace LiveHost.ControlPlane.Comments.Faq;

/// <summary>
/// Matches a comment against a room's FAQ entries by TF-IDF cosine similarity over light features:
/// <list type="bullet">
/// <item>English (any Latin-script run): lower-cased words, a few stop words dropped, a light suffix stemmer
/// (plural -s/-es/-ies, -ing, -ed) and a small table of shop-talk synonyms (cost -> price, delivery -> ship...).</item>
/// <item>Chinese (Han runs): character bigrams, after dropping sentence particles (吗 呢 吧 啊 的 了...); a one-character
/// run counts as itself.</item>
/// </list>
/// An entry's score is its best question variant's. Measured on the synthetic labelled set under
/// <c>perf/LiveHost.Perf/Faq/data</c> (see perf/README.md and the <c>faq</c> benchmark).
/// </summary>
public sealed class FaqMatcher
{
    private readonly (FaqEntry Entry, Dictionary<string, double>[] Variants)[] _entries;
    private readonly Dictionary<string, double> _idf;
    private readonly double _unknownIdf;

    private readonly bool _synonyms;

    /// <param name="synonyms">False leaves out the synonym table (the benchmark reports both).</param>
    public FaqMatcher(IEnumerable<FaqEntry> entries, bool synonyms = true)
    {
        _synonyms = synonyms;
        var list = entries.ToArray();
        var documents = list.SelectMany(e => e.Questions).Select(q => Features(q, synonyms)).ToArray();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            foreach (var feature in document.Keys) df[feature] = df.GetValueOrDefault(feature) + 1;
        }
        var n = Math.Max(1, documents.Length);
        _idf = df.ToDictionary(p => p.Key, p => Math.Log(1.0 + n / (double)p.Value), StringComparer.Ordinal);
        _unknownIdf = Math.Log(1.0 + n);
        var index = 0;
        _entries = new (FaqEntry, Dictionary<string, double>[])[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            var variants = new Dictionary<string, double>[list[i].Questions.Count];
            for (var v = 0; v < variants.Length; v++) variants[v] = Weigh(documents[index++]);
            _entries[i] = (list[i], variants);
        }
    }

    public int Count => _entries.Length;

    /// <summary>The best-scoring entry (ties: the first), or null when none shares a feature with the text.</summary>
    public (FaqEntry Entry, double Score)? Best(string text)
    {
        var query = Weigh(Features(text, _synonyms));
        if (query.Count == 0) return null;
        (FaqEntry Entry, double Score)? best = null;
        foreach (var (entry, variants) in _entries)
        {
            foreach (var variant in variants)
            {
                var score = Cosine(query, variant);
                if (score > 0 && (best is null || score > best.Value.Score)) best = (entry, score);
            }
        }
        return best;
    }

    /// <summary>The <paramref name="count"/> best-scoring entries (each by its best variant), best first; none sharing a feature is left out.</summary>
    public IReadOnlyList<(FaqEntry Entry, double Score)> Top(string text, int count)
    {
        var query = Weigh(Features(text, _synonyms));
        if (query.Count == 0 || count <= 0) return [];
        return [.. _entries
            .Select(e => (e.Entry, Score: e.Variants.Select(v => Cosine(query, v)).DefaultIfEmpty(0).Max()))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .Take(count)];
    }

    private Dictionary<string, double> Weigh(Dictionary<string, int> counts)
    {
        var vector = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        foreach (var (feature, count) in counts)
        {
            // A feature no question has weighs like the rarest known one: a comment about something else ("what
            // colours") must not match on its one common word alone.
            vector[feature] = (1 + Math.Log(count)) * _idf.GetValueOrDefault(feature, _unknownIdf);
        }
        return vector;
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        double dot = 0, na = 0, nb = 0;
        foreach (var (k, v) in a)
        {
            na += v * v;
            if (b.TryGetValue(k, out var w)) dot += v * w;
        }
        foreach (var v in b.Values) nb += v * v;
        return dot == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>The features of a text with their counts (public for tests and the benchmark).</summary>
    public static Dictionary<string, int> Features(string text, bool synonyms = true)
    {
        var features = new Dictionary<string, int>(StringComparer.Ordinal);
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var word = new StringBuilder();
        var han = new StringBuilder();
        foreach (var c in normalized)
        {
            if (IsHan(c))
            {
                FlushWord(word, features, synonyms);
                if (!Particles.Contains(c)) han.Append(c);
            }
            else if (char.IsLetterOrDigit(c) || c == '\'')
            {
                FlushHan(han, features);
                word.Append(c);
            }
            else
            {
                FlushWord(word, features, synonyms);
                FlushHan(han, features);
            }
        }
        FlushWord(word, features, synonyms);
        FlushHan(han, features);
        return features;
    }

    private static void FlushWord(StringBuilder word, Dictionary<string, int> features, bool synonyms)
    {
        if (word.Length == 0) return;
        var w = word.ToString().Trim('\'');
        word.Clear();
        if (w.EndsWith("'s", StringComparison.Ordinal)) w = w[..^2];
        if (w.Length == 0 || StopWords.Contains(w)) return;
        w = Stem(w);
        if (synonyms && Synonyms.TryGetValue(w, out var canonical)) w = canonical;
        if (w.Length == 0) return;
        features[w] = features.GetValueOrDefault(w) + 1;
    }

    private static void FlushHan(StringBuilder han, Dictionary<string, int> features)
    {
        if (han.Length == 0) return;
        var run = han.ToString();
        han.Clear();
        // Single characters count too (洗 in 怎么洗 and 机洗), after the bigrams that carry most of the meaning.
        foreach (var c in run)
        {
            if (CommonHan.Contains(c)) continue;
            var unigram = c.ToString();
            features[unigram] = features.GetValueOrDefault(unigram) + 1;
        }
        for (var i = 0; i + 1 < run.Length; i++)
        {
            var bigram = run.Substring(i, 2);
            features[bigram] = features.GetValueOrDefault(bigram) + 1;
        }
    }

    private static string Stem(string w)
    {
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "y";
        if (w.Length > 4 && (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal))) return w[..^2];
        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal)) w = w[..^1];
        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal)) return w[..^3];
        if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal)) return w[..^2];
        return w;
    }

    private static bool IsHan(char c) => c is (>= '\u3400' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF');

    // Characters too common in questions to say anything alone (they still count inside bigrams).
    private static readonly HashSet<char> CommonHan = ['可', '以', '能', '有', '是', '这', '个', '什', '怎', '多', '用', '我', '你', '没', '会', '在', '还', '要', '吗', '不', '一'];

    private static readonly HashSet<char> Particles = ['吗', '呢', '吧', '啊', '呀', '哦', '么', '嘛', '的', '了', '请', '问', '吖', '哈', '啦'];

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "is", "are", "am", "was", "were", "be", "do", "does", "did", "i", "you", "we", "it", "its", "this", "that",
        "to", "of", "for", "in", "on", "at", "my", "your", "me", "can", "could", "would", "will", "please", "hi", "hello", "hey", "there",
        "and", "or", "with", "so", "just", "any", "some", "there's", "it's", "what's", "i'm", "im", "u", "ur", "pls", "plz", "about", "tell",
        "know", "want", "like", "get", "have", "has", "one", "thing", "product", "item", "guys", "anyone", "still", "what", "how", "which",
        "who", "does", "if", "they", "them", "these", "those", "he", "she", "be", "been", "am", "not", "no", "yes", "okay", "ok", "really",
    };

    // Shop-talk synonyms folded to one word (after stemming). Small on purpose: each is a common way viewers ask.
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["cost"] = "price", ["pric"] = "price", ["expensive"] = "price", ["cheap"] = "price", ["much"] = "price", ["dollar"] = "price", ["$"] = "price",
        ["deliver"] = "ship", ["delivery"] = "ship", ["shipp"] = "ship", ["arrive"] = "ship", ["post"] = "ship", ["dispatch"] = "ship", ["courier"] = "ship",
        ["refund"] = "return", ["exchange"] = "return", ["send back"] = "return",
        ["big"] = "size", ["large"] = "size", ["dimension"] = "size", ["measurement"] = "size", ["tall"] = "size", ["long"] = "size", ["wide"] = "size",
        ["colour"] = "color", ["shade"] = "color",
        ["fabric"] = "material", ["made"] = "material", ["cotton"] = "material",
        ["available"] = "stock", ["sold"] = "stock", ["left"] = "stock", ["restock"] = "stock", ["inventory"] = "stock",
        ["warranty"] = "guarantee",
        ["battery"] = "battery", ["charge"] = "battery", ["charg"] = "battery",
        ["wash"] = "clean", ["washable"] = "clean", ["machine-washable"] = "clean",
        ["discount"] = "coupon", ["code"] = "coupon", ["promo"] = "coupon", ["voucher"] = "coupon", ["sale"] = "coupon",
        ["kid"] = "child", ["children"] = "child", ["baby"] = "child", ["toddler"] = "child",
        ["pay"] = "payment", ["paypal"] = "payment", ["card"] = "payment",
        ["heavy"] = "weight", ["weigh"] = "weight",
        ["abroad"] = "international", ["overseas"] = "international", ["country"] = "international",
    };
}
