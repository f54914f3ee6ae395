using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
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

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, string shape) where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return Fail<T>(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBytes} bytes");
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
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

    private static Result<T> Fail<T>(int status, string detail) where T : class =>
        new(null, Results.Problem(detail: detail, statusCode: status, title: status == StatusCodes.Status400BadRequest ? "Bad Request" : "Payload Too Large"));
}
