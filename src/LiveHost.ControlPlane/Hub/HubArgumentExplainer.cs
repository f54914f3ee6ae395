using System.Buffers;
using System.Reflection;
using System.Text.Json;
using LiveHost.Engine.Lines;

namespace LiveHost.ControlPlane;

/// <summary>
/// Says why a hub invocation's arguments do not bind, in words a client's author can act on:
/// <c>argument 1 (request) of EnqueueLine must be a line request { text, ... }; got a number</c>, or
/// <c>Skip takes 0 to 1 argument(s) (room?); 3 given</c>. Reads the one JSON message the protocol just parsed.
/// </summary>
public sealed class HubArgumentExplainer
{
    private const byte RecordSeparator = 0x1e;

    private readonly Dictionary<string, ParameterInfo[]> _methods;
    private readonly JsonSerializerOptions _payload;

    public HubArgumentExplainer(Type hubType, JsonSerializerOptions payload)
    {
        _payload = payload;
        _methods = hubType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => Sent(g.First()), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The parameters a client sends: services injected by SignalR ([FromServices]) are not among them.</summary>
    private static ParameterInfo[] Sent(MethodInfo method) =>
        method.GetParameters().Where(p => !p.GetCustomAttributes().OfType<Microsoft.AspNetCore.Http.Metadata.IFromServiceMetadata>().Any()).ToArray();

    /// <summary>What is wrong with the arguments of <paramref name="target"/> in this message; null when it cannot tell.</summary>
    public string? Explain(string target, ReadOnlySequence<byte> message)
    {
        if (!_methods.TryGetValue(target, out var parameters)) return null;
        var bytes = message.ToArray().AsSpan().TrimEnd(RecordSeparator).ToArray();
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (!document.RootElement.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Array) return null;
            return Explain(target, parameters, arguments);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? Explain(string target, ParameterInfo[] parameters, JsonElement arguments)
    {
        var required = parameters.Count(p => !p.HasDefaultValue);
        var given = arguments.GetArrayLength();
        if (given < required || given > parameters.Length)
        {
            var range = required == parameters.Length ? $"{required}" : $"{required} to {parameters.Length}";
            var signature = string.Join(", ", parameters.Select(p => p.HasDefaultValue ? p.Name + "?" : p.Name));
            return $"{target} takes {range} argument(s) ({signature}); {given} given";
        }

        for (var i = 0; i < given; i++)
        {
            var parameter = parameters[i];
            var argument = arguments[i];
            try
            {
                JsonSerializer.Deserialize(argument, parameter.ParameterType, _payload);
            }
            catch (JsonException exception)
            {
                var nested = exception.Path is { Length: > 1 } path && path != "$";
                var problem = nested
                    ? $"{exception.Path} cannot be {KindOf(At(argument, exception.Path!))}"
                    : $"got {KindOf(argument)}";
                return Wrong(target, i, parameter, problem);
            }
        }

        return null;
    }

    private static string Wrong(string target, int index, ParameterInfo parameter, string problem) =>
        $"argument {index + 1} ({parameter.Name}) of {target} must be {Expected(parameter.ParameterType)}; {problem}";

    private static string Expected(Type type) =>
        type == typeof(string) ? "a room name (a string) or null"
        : type == typeof(LineRequest) ? "a line request { \"text\": \"...\", \"language\"?, \"voice\"?, \"tag\"?, \"room\"? }"
        : type.Name;

    /// <summary>The element at a simple JSON path such as <c>$.text</c>; the argument itself when the path is deeper.</summary>
    private static JsonElement At(JsonElement argument, string path)
    {
        var name = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (name is null || name.Contains('.') || name.Contains('[') || argument.ValueKind != JsonValueKind.Object) return argument;
        foreach (var property in argument.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }
        return argument;
    }

    private static string KindOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "this value",
    };
}
