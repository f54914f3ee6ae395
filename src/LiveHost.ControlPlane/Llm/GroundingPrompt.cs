using System.Globalization;
using System.Text;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Show;

namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// What the model is told for one comment: the room's persona, the rules (answer only from the data below, in the
/// comment's language, say you do not know otherwise, never invent a price or number, no absolute or medical claims),
/// the product on show, the products the script names, the closest FAQ entries and the last lines spoken; then the
/// question. <see cref="SellerTexts"/> is the data the number check accepts numbers from.
/// </summary>
public sealed record GroundingPrompt(IReadOnlyList<ChatMessage> Messages, string Language, IReadOnlyList<string> SellerTexts)
{
    public const string DefaultPersona = "You are the presenter of a live shopping stream, answering a viewer's question on air.";

    public static GroundingPrompt Build(string? persona, Comment comment, Product? onShow, IReadOnlyList<Product> inScript,
        IReadOnlyList<FaqEntry> faq, IReadOnlyList<string> recentLines)
    {
        var language = LanguageOf(comment.Text);
        var seller = new List<string>();
        var system = new StringBuilder();
        system.AppendLine(string.IsNullOrWhiteSpace(persona) ? DefaultPersona : persona.Trim()).AppendLine();
        system.AppendLine("Rules:");
        system.AppendLine(language == "zh"
            ? "- Answer in Chinese (简体中文), in at most three short spoken sentences."
            : "- Answer in English, in at most three short spoken sentences.");
        system.AppendLine("- Use only the facts in the data below. If the data does not cover the question, say that you do not know and that the team will follow up; never guess.");
        system.AppendLine("- Never state a price, quantity, size or other number that is not written in the data.");
        system.AppendLine("- Never make absolute claims (best, number one, guaranteed) or health or cure claims.");
        system.AppendLine().AppendLine("Data:");
        if (onShow is not null) system.Append("Product on show: ").AppendLine(Describe(onShow, seller));
        foreach (var product in inScript.Where(p => p.Id != onShow?.Id)) system.Append("Product in today's script: ").AppendLine(Describe(product, seller));
        if (onShow is null && inScript.Count == 0) system.AppendLine("(no product data)");
        foreach (var entry in faq)
        {
            system.Append("FAQ: Q: ").Append(entry.Questions.Count > 0 ? entry.Questions[0] : "").Append(" A: ").AppendLine(entry.Answer);
            seller.Add(entry.Answer);
        }
        if (recentLines.Count > 0)
        {
            system.AppendLine().AppendLine("Said on air just before:");
            foreach (var line in recentLines) system.Append("- ").AppendLine(line);
        }
        var user = $"Viewer {comment.Nickname ?? "viewer"} asks: {comment.Text}";
        return new GroundingPrompt([new ChatMessage("system", system.ToString().TrimEnd()), new ChatMessage("user", user)], language, seller);
    }

    /// <summary>zh when the comment has a Han character, else en (the rooms' two languages).</summary>
    public static string LanguageOf(string text) =>
        text.Any(c => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf') ? "zh" : "en";

    private static string Describe(Product product, List<string> seller)
    {
        var text = new StringBuilder(product.Name);
        if (product.Price is { } price)
            text.Append(", price ").Append(price.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(product.Currency);
        foreach (var bullet in product.Bullets ?? []) text.Append("; ").Append(bullet);
        var described = text.ToString();
        seller.Add(described);
        return described;
    }
}
