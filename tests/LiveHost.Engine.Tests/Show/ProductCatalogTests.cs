using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using SkiaSharp;

namespace LiveHost.Engine.Tests.Show;

public sealed class ProductCatalogTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    internal static byte[] Png(int width, int height, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    [Fact]
    public async Task A_product_is_validated_stored_and_read_back_after_a_restart()
    {
        string id;
        await using (var before = new ShowFixture(_db.Path))
        {
            var saved = before.Products.Save(new Product(null, " 保温杯 ", 199m, "cny", ["304 steel", "", "12 h hot"]));
            id = saved.Id!;
            Assert.Equal(("保温杯", "CNY", 2), (saved.Name, saved.Currency, saved.Bullets!.Count));
        }
        await using var after = new ShowFixture(_db.Path);
        var read = after.Products.Get(id);
        Assert.Equal(("保温杯", 199m, "CNY", false), (read.Name, read.Price, read.Currency, read.HasImage));
        Assert.Equal(["304 steel", "12 h hot"], read.Bullets);
    }

    [Theory]
    [InlineData(null, 1.0, "USD", "no name")]
    [InlineData("Mug", -1.0, "USD", "price -1")]
    [InlineData("Mug", 1.0, "US", "currency 'US'")]
    [InlineData("Mug", 1.0, "U$D", "currency 'U$D'")]
    public async Task A_bad_product_is_refused_saying_what_is_wrong_and_nothing_is_stored(string? name, double price, string currency, string expected)
    {
        await using var room = new ShowFixture(_db.Path);

        var refused = Assert.Throws<CommandRejectedException>(() => room.Products.Save(new Product(null, name, (decimal)price, currency)));

        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.Products.List());
    }

    [Fact]
    public async Task A_jpeg_image_is_decoded_and_re_encoded_as_a_png_no_larger_than_512_pixels()
    {
        await using var room = new ShowFixture(_db.Path);
        var product = room.Products.Save(new Product(null, "Mug", 9m, "USD"));

        var stored = room.Products.SetImage(product.Id!, Png(1600, 800, SKColors.Orange, SKEncodedImageFormat.Jpeg));

        Assert.True(stored.HasImage);
        var png = room.Products.Image(product.Id!)!;
        Assert.True(LiveHost.Avatars.Products.ProductImage.IsPng(png));
        using var decoded = SKBitmap.Decode(png);
        Assert.Equal((512, 256), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task A_renamed_pdf_is_refused_as_unsupported_naming_png_and_jpeg_and_nothing_changes()
    {
        await using var room = new ShowFixture(_db.Path);
        var product = room.Products.Save(new Product(null, "Mug", 9m, "USD"));
        var pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"u8.ToArray();

        var refused = Assert.Throws<CommandRejectedException>(() => room.Products.SetImage(product.Id!, pdf));

        Assert.Equal(RejectionCode.UnsupportedMediaType, refused.Code);
        Assert.Contains("it is a PDF", refused.Message, StringComparison.Ordinal);
        Assert.Contains("PNG (image/png) or JPEG (image/jpeg)", refused.Message, StringComparison.Ordinal);
        Assert.False(room.Products.Get(product.Id).HasImage);
    }

    [Fact]
    public async Task An_image_over_2_MiB_is_refused_naming_the_limit_and_nothing_changes()
    {
        await using var room = new ShowFixture(_db.Path);
        var product = room.Products.Save(new Product(null, "Mug", 9m, "USD"));
        room.Products.SetImage(product.Id!, Png(10, 10, SKColors.Red));
        var before = room.Products.Image(product.Id!);
        var huge = new byte[40 * 1024 * 1024];
        Png(10, 10, SKColors.Blue).CopyTo(huge, 0);

        var refused = Assert.Throws<CommandRejectedException>(() => room.Products.SetImage(product.Id!, huge));

        Assert.Equal(RejectionCode.PayloadTooLarge, refused.Code);
        Assert.Contains("2097152 bytes (2 MiB)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, room.Products.Image(product.Id!));
    }

    [Fact]
    public async Task A_truncated_png_is_refused_as_unreadable()
    {
        await using var room = new ShowFixture(_db.Path);
        var product = room.Products.Save(new Product(null, "Mug", 9m, "USD"));

        var refused = Assert.Throws<CommandRejectedException>(() => room.Products.SetImage(product.Id!, Png(50, 50, SKColors.Red)[..20]));

        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.False(room.Products.Get(product.Id).HasImage);
    }

    [Fact]
    public async Task Showing_an_unknown_product_is_refused_and_the_card_on_screen_stays()
    {
        await using var room = new ShowFixture(_db.Path);
        var mug = room.Products.Save(new Product(null, "Mug", 9m, "USD"));
        room.Show.ShowProduct(mug.Id!, countdownSeconds: 300);

        var refused = Assert.Throws<CommandRejectedException>(() => room.Show.ShowProduct("nope", null));

        Assert.Equal(RejectionCode.UnknownProduct, refused.Code);
        var shown = room.Engine.Snapshot().Product!;
        Assert.Equal((mug.Id, ProductShownBy.Hand, room.Time.GetUtcNow().AddSeconds(300)), (shown.Id, shown.ShownBy, shown.EndsAt));
        Assert.Equal(300, room.Show.CardFrame(null)!.Value.SecondsLeft);
        room.Time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(299, room.Show.CardFrame(null)!.Value.SecondsLeft);
    }
}
