using System.Collections.Concurrent;
using System.Globalization;
using LiveHost.Avatars.Products;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Show;

/// <summary>
/// The product library: validated writes go to the <see cref="IProductStore"/> first, then to an in-memory copy that
/// rooms read on their tick (a dictionary lookup: no disk I/O, no lock the store holds). Loaded once at start.
/// Each product's card content (<see cref="ProductCardContent"/>) is built once per change, keyed by id and version.
/// </summary>
public sealed class ProductCatalog : IProductCatalog
{
    private readonly IProductStore _store;
    private readonly IProductImageNormalizer _images;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _products = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();
    private long _version;

    public ProductCatalog(IProductStore store, IProductImageNormalizer images, TimeProvider time)
    {
        _store = store;
        _images = images;
        _time = time;
        foreach (var product in store.List())
        {
            _products[product.Id!] = NewEntry(product, product.HasImage ? store.LoadImage(product.Id!) : null);
        }
    }

    /// <summary>Raised after every change to the library (for <c>ProductsChanged</c>).</summary>
    public event Action? Changed;

    public IReadOnlyList<Product> List() =>
        _products.Values.Select(e => e.Product).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();

    public bool Exists(string id) => _products.ContainsKey(id);

    bool IProductCatalog.Contains(string productId) => Exists(productId);

    public bool TryGet(string id, out Product product)
    {
        var found = _products.TryGetValue(id, out var entry);
        product = entry?.Product!;
        return found;
    }

    public Product Get(string? id) =>
        id is not null && _products.TryGetValue(id.Trim(), out var entry) ? entry.Product : throw Unknown(id);

    public byte[]? Image(string id) => Get(id) is { HasImage: true } ? _products[id].ImagePng : null;

    /// <summary>The card for a product, or null when there is no such product (deleted since).</summary>
    public ProductCardContent? Card(string id) => _products.TryGetValue(id, out var entry) ? entry.Card : null;

    /// <summary>Creates a product (<paramref name="id"/> and the product's id null) or replaces the one named (unknown: 404); returns it as stored.</summary>
    public Product Save(Product? product, string? id = null)
    {
        var valid = ProductValidator.Validate(product);
        string? key;
        lock (_writes)
        {
            key = id ?? valid.Id;
            byte[]? image = null;
            if (key is not null)
            {
                if (!_products.TryGetValue(key, out var existing)) throw Unknown(key);
                image = existing.ImagePng;
            }
            key ??= Guid.CreateVersion7(_time.GetUtcNow()).ToString("N");
            var stored = valid with { Id = key, HasImage = image is not null, UpdatedAt = _time.GetUtcNow() };
            _store.Save(stored);
            _products[key] = NewEntry(stored, image);
        }
        Changed?.Invoke();
        return Get(key);
    }

    public void Delete(string id)
    {
        lock (_writes)
        {
            if (!_products.ContainsKey(id)) throw Unknown(id);
            _store.Delete(id);
            _products.TryRemove(id, out _);
        }
        Changed?.Invoke();
    }

    /// <summary>
    /// Checks, decodes and re-encodes an uploaded image (<see cref="ProductImage"/>'s rules, the
    /// <see cref="IProductImageNormalizer"/>) and stores it. Refusals: 413 over
    /// 2 MiB, 415 not PNG or JPEG, 400 unreadable or too many pixels; nothing changes.
    /// </summary>
    public Product SetImage(string id, byte[] upload)
    {
        Get(id);
        if (upload.Length > ProductImage.MaxBytes)
        {
            throw new CommandRejectedException(RejectionCode.PayloadTooLarge,
                $"the image is {upload.Length} bytes; the limit is {ProductImage.MaxBytes} bytes (2 MiB): send {ProductImage.Accepted}");
        }
        var png = _images.TryNormalize(upload, out var problem, out var message);
        if (png is null)
        {
            throw new CommandRejectedException(
                problem == ProductImage.Problem.NotPngOrJpeg ? RejectionCode.UnsupportedMediaType : RejectionCode.InvalidInput, message!);
        }
        lock (_writes)
        {
            var current = Get(id);
            var stored = current with { HasImage = true, UpdatedAt = _time.GetUtcNow() };
            _store.SaveImage(id, png);
            _store.Save(stored);
            _products[id] = NewEntry(stored, png);
        }
        Changed?.Invoke();
        return Get(id);
    }

    private Entry NewEntry(Product product, byte[]? image)
    {
        var version = Interlocked.Increment(ref _version);
        var price = string.Create(CultureInfo.InvariantCulture, $"{product.Price:0.00##} {product.Currency}");
        var card = new ProductCardContent($"{product.Id}#{version}", product.Name ?? "", price, product.Bullets ?? [], image);
        return new Entry(product with { HasImage = image is not null }, image, card, version);
    }

    private static CommandRejectedException Unknown(string? id) =>
        new(RejectionCode.UnknownProduct, $"unknown product '{Shorten(id)}': list them with GET /api/products");

    private static string Shorten(string? id) => id is null ? "" : id.Length <= 64 ? id : id[..64] + "...";

    private sealed record Entry(Product Product, byte[]? ImagePng, ProductCardContent Card, long Version);
}
