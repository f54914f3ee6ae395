using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane;

/// <summary>
/// Reads a JSON request body ourselves so that a malformed one gets a 400 that says what is wrong (the framework's
/// binder answers with an empty 400). The content type is not insisted on: tools often forget it.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public readonly record struct Result<T>(T? Value, IResult? Problem) where T : class;

    public static Task<Result<T>> ReadAsync<T>(HttpRequest request, string shape) where T : class => ReadAsync<T>(request, shape, MaxBytes);

    /// <summary>Like <see cref="ReadAsync{T}(HttpRequest, string)"/> with another limit (scripts take up to 1 MiB).</summary>
    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, string shape, int maxBytes) where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return TooLarge<T>(maxBytes);
        }

        // The limit is enforced on what arrives, not on what Content-Length claims: a chunked body has none.
        byte[]? body;
        try
        {
            body = await ReadAtMostAsync(request.Body, maxBytes, request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException exception)
        {
            return Fail<T>(exception.StatusCode, "the body could not be read: " + exception.Message);
        }

        if (body is null)
        {
            return TooLarge<T>(maxBytes);
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body, options);
            return value is null
                ? Fail<T>(StatusCodes.Status400BadRequest, $"a JSON body is required: {shape}")
                : new Result<T>(value, null);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
            var detail = exception.Path is { Length: > 1 } path
                ? $"the body is not valid JSON for {shape}: problem at {path}{where}"
                : $"the body is not valid JSON{where}; expected {shape}";
            return Fail<T>(StatusCodes.Status400BadRequest, detail);
        }
    }

    /// <summary>The whole body, or null as soon as more than <paramref name="limit"/> bytes have arrived.</summary>
    public static async Task<byte[]?> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[limit + 1];
        var filled = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
            if (filled > limit) return null;
        }
        return buffer.AsSpan(0, filled).ToArray();
    }

    private static Result<T> TooLarge<T>(int maxBytes) where T : class =>
        Fail<T>(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBytes} bytes");

    private static Result<T> Fail<T>(int status, string detail) where T : class =>
        new(null, Results.Problem(detail: detail, statusCode: status, title: ReasonPhrases.GetReasonPhrase(status)));
}
