namespace LiveHost.Engine.Lines;

/// <summary>
/// What a line's <see cref="LineRequest.Product"/> is checked against before the line is accepted. The product
/// library implements it; a room without one accepts any well-formed product id.
/// </summary>
public interface IProductCatalog
{
    bool Contains(string productId);
}
