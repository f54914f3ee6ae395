using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Show;

/// <summary>
/// Checks a product before it is stored: a name (1 to <see cref="MaxNameLength"/> visible characters), a price
/// (0 to 1,000,000,000, at most 4 decimals), a currency code of three letters (ISO 4217 form, e.g. USD, EUR, CNY;
/// upper-cased), at most <see cref="MaxBullets"/> bullet lines of at most <see cref="MaxBulletLength"/> characters.
/// Text follows the line text rules (no control characters; invisible formatting removed).
/// </summary>
public static class ProductValidator
{
    public const int MaxNameLength = 120;
    public const int MaxBullets = 5;
    public const int MaxBulletLength = 120;
    public const decimal MaxPrice = 1_000_000_000m;

    public static Product Validate(Product? product)
    {
        if (product is null)
        {
            throw Invalid("a product is required: { name, price, currency, bullets? }");
        }
        var name = CleanText(product.Name, "name", MaxNameLength) ?? throw Invalid("the product has no name: give it a name");
        if (product.Price is not { } price)
        {
            throw Invalid("the product has no price: give price as a number, e.g. 199.00");
        }
        if (price < 0 || price > MaxPrice || decimal.Round(price, 4) != price)
        {
            throw Invalid($"price {price} is not accepted: use 0 to {MaxPrice:0} with at most 4 decimals");
        }
        var currency = product.Currency?.Trim().ToUpperInvariant() ?? "";
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw Invalid($"currency '{product.Currency}' is not a three-letter ISO 4217 code such as USD, EUR or CNY");
        }
        var bullets = product.Bullets ?? [];
        if (bullets.Count > MaxBullets)
        {
            throw Invalid($"the product has {bullets.Count} bullet lines; the limit is {MaxBullets}");
        }
        var cleanBullets = new List<string>(bullets.Count);
        for (var i = 0; i < bullets.Count; i++)
        {
            if (CleanText(bullets[i], $"bullet {i + 1}", MaxBulletLength) is { } bullet) cleanBullets.Add(bullet);
        }
        return product with { Name = name, Price = price, Currency = currency, Bullets = cleanBullets };
    }

    private static string? CleanText(string? raw, string what, int limit)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (LineText.Clean(raw, out var text, out var position, out var codePoint) != LineText.Problem.None)
        {
            throw Invalid($"{what} contains the character U+{codePoint:X4} at character {position}, which cannot be shown: remove it");
        }
        if (LineText.IsBlank(text)) return null;
        var length = LineText.VisibleLength(text);
        if (length > limit)
        {
            throw Invalid($"{what} is {length} characters long; the limit is {limit}");
        }
        return text;
    }

    private static CommandRejectedException Invalid(string message) => new(RejectionCode.InvalidInput, message);
}
