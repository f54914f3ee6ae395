using System.Text.RegularExpressions;

namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// A number a text states in words: <see cref="Text"/> as written, <see cref="Values"/> the values it may mean (a spoken
/// price is ambiguous: "nine ninety-nine" is 9.99 or 999; a discount "五折" or "half price" is 50% of the price, so 50,
/// 0.5 and the 5 of "5折").
/// </summary>
public sealed record NumberMention(int Index, string Text, IReadOnlyList<decimal> Values);

/// <summary>
/// Finds numbers spelled out in English ("twenty dollars", "nine ninety-nine", "one hundred and five", "half price")
/// and in Chinese (九十九元, 两百, 九块九, 五折, 八五折, 半价). A heuristic, tuned to refuse invented prices rather than
/// ordinary words: a lone "one" ("this one") and a lone 一 (一起, 一下) are not numbers, nor are the idioms 十分 (very),
/// 千万 (by all means), 万一 (in case), 二手 (second-hand), 二维码 (QR code) or a unit without a digit (百搭, 万能).
/// </summary>
public static partial class SpelledNumbers
{
    private static readonly Dictionary<string, int> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
    };

    private static readonly Dictionary<string, int> Teens = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16,
        ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    };

    private static readonly Dictionary<string, int> Tens = new(StringComparer.OrdinalIgnoreCase)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    private static readonly Dictionary<string, int> Scales = new(StringComparer.OrdinalIgnoreCase)
    {
        ["thousand"] = 1_000, ["million"] = 1_000_000, ["billion"] = 1_000_000_000,
    };

    private static readonly string[] ChineseIdioms = ["十分", "十足", "千万", "万一", "二手", "二维码", "三明治", "一一"];

    /// <summary>Every spelled-out number in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<NumberMention> Find(string text)
    {
        var found = new List<NumberMention>();
        FindEnglish(text, found);
        FindChinese(text, found);
        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found;
    }

    // ---- English ----------------------------------------------------------------------------------------------

    private enum Kind { None, Unit, Teen, Tens, Hundred, Scale }

    /// <summary>A number being read word by word ("one hundred and twenty-five").</summary>
    private sealed class Reading(int index)
    {
        public int Index { get; } = index;
        public int End { get; set; } = index;
        public decimal Total { get; set; }
        public decimal Small { get; set; }
        public Kind Last { get; set; }
        public int Words { get; set; }
        public bool OnlyOne { get; set; } = true;

        public decimal Value => Total + Small;

        /// <summary>Below 100 without "hundred" or "thousand": half of a spoken price ("nine" "ninety-nine").</summary>
        public bool IsPlainBelowHundred => Total == 0 && Small < 100 && Last is Kind.Unit or Kind.Teen or Kind.Tens;
    }

    private static void FindEnglish(string text, List<NumberMention> found)
    {
        var words = WordPattern().Matches(text).Select(m => (m.Index, Word: m.Value, End: m.Index + m.Length)).ToList();
        var readings = new List<Reading>();
        Reading? current = null;
        for (var i = 0; i < words.Count; i++)
        {
            var (index, word, end) = words[i];
            var next = i + 1 < words.Count ? words[i + 1].Word : null;
            if (IsHalfPrice(word, next))
            {
                Close(ref current, readings);
                found.Add(new NumberMention(index, text[index..words[i + 1].End], DiscountValues(0.5m)));
                i++;
                continue;
            }
            if (current is not null && !Gap(text, current.End, index)) Close(ref current, readings);
            if (word.Equals("and", StringComparison.OrdinalIgnoreCase) && current is { Last: Kind.Hundred or Kind.Scale } && next is not null && IsNumberWord(next))
            {
                current.End = end; // "one hundred and five" is one number
                continue;
            }
            if (word.Equals("a", StringComparison.OrdinalIgnoreCase) && next is not null && (next.Equals("hundred", StringComparison.OrdinalIgnoreCase) || Scales.ContainsKey(next)))
            {
                Close(ref current, readings);
                current = new Reading(index) { Small = 1, Last = Kind.Unit, End = end, OnlyOne = false };
                continue;
            }
            if (word.Equals("point", StringComparison.OrdinalIgnoreCase) && current is { Words: > 0 } && next is not null && Units.ContainsKey(next))
            {
                i = ReadDecimals(text, words, i + 1, current); // "one point five"
                Close(ref current, readings);
                continue;
            }
            if (!IsNumberWord(word))
            {
                Close(ref current, readings);
                continue;
            }
            if (current is null || !TryAttach(current, word))
            {
                Close(ref current, readings);
                current = new Reading(index);
                TryAttach(current, word);
            }
            current.End = end;
            current.Words++;
            if (!word.Equals("one", StringComparison.OrdinalIgnoreCase)) current.OnlyOne = false;
        }
        Close(ref current, readings);
        for (var i = 0; i < readings.Count; i++)
        {
            var first = readings[i];
            // "nine ninety-nine", "nineteen ninety-nine": a spoken price (9.99, 19.99) or a number said in pairs (999, 1999).
            if (i + 1 < readings.Count && first.IsPlainBelowHundred && readings[i + 1] is { IsPlainBelowHundred: true, Value: >= 10 } second
                && first.Value > 0 && Gap(text, first.End, second.Index))
            {
                found.Add(new NumberMention(first.Index, text[first.Index..second.End], [first.Value + second.Value / 100, first.Value * 100 + second.Value]));
                i++;
                continue;
            }
            if (first.OnlyOne) continue; // "this one", "the blue one"
            found.Add(new NumberMention(first.Index, text[first.Index..first.End], [first.Value]));
        }
    }

    /// <summary>Adds the digits said after "point" to <paramref name="reading"/>; returns the index of the last one read.</summary>
    private static int ReadDecimals(string text, List<(int Index, string Word, int End)> words, int first, Reading reading)
    {
        var scale = 0.1m;
        var i = first;
        while (i < words.Count && Units.TryGetValue(words[i].Word, out var digit) && Gap(text, i == first ? words[i - 1].End : reading.End, words[i].Index))
        {
            reading.Small += digit * scale;
            scale /= 10;
            reading.End = words[i].End;
            i++;
        }
        reading.Last = Kind.Scale; // a decimal is never half of a spoken price
        reading.OnlyOne = false;
        return i - 1;
    }

    private static bool TryAttach(Reading reading, string word)
    {
        var empty = reading.Last == Kind.None;
        if (Units.TryGetValue(word, out var unit))
        {
            if (!empty && reading.Last is not (Kind.Tens or Kind.Hundred or Kind.Scale)) return false;
            reading.Small += unit;
            reading.Last = Kind.Unit;
            return true;
        }
        if (Teens.TryGetValue(word, out var teen) || Tens.TryGetValue(word, out teen))
        {
            if (!empty && reading.Last is not (Kind.Hundred or Kind.Scale)) return false;
            reading.Small += teen;
            reading.Last = teen < 20 ? Kind.Teen : Kind.Tens;
            return true;
        }
        if (word.Equals("hundred", StringComparison.OrdinalIgnoreCase))
        {
            if (!empty && (reading.Last is Kind.Hundred or Kind.Scale || reading.Small is 0 or >= 100)) return false;
            reading.Small = (empty ? 1 : reading.Small) * 100;
            reading.Last = Kind.Hundred;
            return true;
        }
        if (Scales.TryGetValue(word, out var scale))
        {
            if (reading.Last == Kind.Scale) return false;
            reading.Total += (empty || reading.Small == 0 ? 1 : reading.Small) * scale;
            reading.Small = 0;
            reading.Last = Kind.Scale;
            return true;
        }
        return false;
    }

    private static void Close(ref Reading? reading, List<Reading> readings)
    {
        if (reading is { Words: > 0 }) readings.Add(reading);
        reading = null;
    }

    /// <summary>Only spaces or a hyphen between two words of one number (a comma or a full stop ends it).</summary>
    private static bool Gap(string text, int from, int to) => text.AsSpan(from, to - from).Trim().Trim('-').IsEmpty;

    private static bool IsNumberWord(string word) =>
        Units.ContainsKey(word) || Teens.ContainsKey(word) || Tens.ContainsKey(word) || Scales.ContainsKey(word)
        || word.Equals("hundred", StringComparison.OrdinalIgnoreCase);

    private static bool IsHalfPrice(string word, string? next) =>
        word.Equals("half", StringComparison.OrdinalIgnoreCase) && next is not null
        && (next.Equals("price", StringComparison.OrdinalIgnoreCase) || next.Equals("off", StringComparison.OrdinalIgnoreCase));

    /// <summary>A discount paying <paramref name="paid"/> of the price: 0.5, 50 (%), 5 (折) and the share taken off (50).</summary>
    private static decimal[] DiscountValues(decimal paid) => [paid, paid * 100, paid * 10, 100 - paid * 100];

    // ---- Chinese ----------------------------------------------------------------------------------------------

    private static void FindChinese(string text, List<NumberMention> found)
    {
        foreach (Match match in ChinesePattern().Matches(text))
        {
            var run = match.Value;
            var after = text.AsSpan(match.Index + match.Length);
            if (ChineseIdioms.Any(idiom => text.AsSpan(match.Index).StartsWith(idiom, StringComparison.Ordinal))) continue;
            if (run == "半")
            {
                if (after.StartsWith("价", StringComparison.Ordinal)) found.Add(new NumberMention(match.Index, "半价", DiscountValues(0.5m)));
                continue;
            }
            if (!run.Any(c => ChineseDigit(c) >= 0 || c == '十')) continue; // 百搭, 万能: a unit alone is a word
            var value = ChineseValue(run);
            if (after.StartsWith("折", StringComparison.Ordinal))
            {
                // 五折: pay 50%; 八五折: pay 85%.
                var paid = run.Length == 2 && run.All(c => ChineseDigit(c) >= 0) ? value / 100 : value / 10;
                found.Add(new NumberMention(match.Index, run + "折", [.. DiscountValues(paid), value]));
                continue;
            }
            if (run == "一") continue; // 一起, 一下, 一个
            // 九块九 / 九元九: 9.9.
            if ((after.StartsWith("块", StringComparison.Ordinal) || after.StartsWith("元", StringComparison.Ordinal))
                && after.Length > 1 && ChineseDigit(after[1]) >= 0 && (after.Length == 2 || (ChineseDigit(after[2]) < 0 && !IsChineseUnit(after[2]))))
            {
                found.Add(new NumberMention(match.Index, text.Substring(match.Index, run.Length + 2), [value + ChineseDigit(after[1]) / 10m]));
                continue;
            }
            found.Add(new NumberMention(match.Index, run, [value]));
        }
        // The digit after 块 was matched as a run of its own: drop it when it is part of a price found above.
        found.RemoveAll(m => m.Text.Length == 1 && found.Any(p => p.Index < m.Index && p.Index + p.Text.Length > m.Index));
    }

    /// <summary>十 = 10, 九十九 = 99, 两百 = 200, 一千二百 = 1200, 三万 = 30000, 九九 = 99 (digits read one by one), 九点九 = 9.9.</summary>
    private static decimal ChineseValue(string run)
    {
        var point = run.IndexOf('点', StringComparison.Ordinal);
        var whole = point < 0 ? run : run[..point];
        decimal total = 0, section = 0, digit = 0;
        var digitsOnly = whole.All(c => ChineseDigit(c) >= 0);
        if (digitsOnly)
        {
            foreach (var c in whole) total = total * 10 + ChineseDigit(c);
        }
        else
        {
            foreach (var c in whole)
            {
                var d = ChineseDigit(c);
                if (d >= 0) { digit = d; continue; }
                var unit = c switch { '十' => 10, '百' => 100, '千' => 1000, _ => 0 };
                if (unit > 0)
                {
                    section += (digit == 0 && unit == 10 ? 1 : digit) * unit;
                    digit = 0;
                    continue;
                }
                var big = c == '万' ? 10_000m : 100_000_000m;
                total += (section + digit) * big;
                section = digit = 0;
            }
            total += section + digit;
        }
        if (point >= 0)
        {
            var scale = 0.1m;
            foreach (var c in run[(point + 1)..])
            {
                total += ChineseDigit(c) * scale;
                scale /= 10;
            }
        }
        return total;
    }

    private static int ChineseDigit(char c) => c switch
    {
        '零' or '〇' => 0, '一' => 1, '二' or '两' => 2, '三' => 3, '四' => 4, '五' => 5, '六' => 6, '七' => 7, '八' => 8, '九' => 9, _ => -1,
    };

    private static bool IsChineseUnit(char c) => c is '十' or '百' or '千' or '万' or '亿';

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex WordPattern();

    // Numerals and units, with a decimal point only between digits; 半 (half) for 半价.
    [GeneratedRegex(@"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二两三四五六七八九]+)?|半")]
    private static partial Regex ChinesePattern();
}
