using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane;

/// <summary>
/// SignalR's JSON protocol, plus optional trailing arguments for <see cref="ControlHub"/>'s methods. SignalR binds
/// arguments by position and insists on an exact count, so <c>Skip()</c> would fail against <c>Skip(string? room = null)</c>.
/// When binding fails for a method whose last parameters have defaults, the message is parsed again without them and the
/// defaults are filled in: <c>Skip()</c> means <c>Skip(null)</c>, the room <c>main</c>. A call that still does not bind
/// (a number where a line request goes, three arguments to Skip) fails with a <see cref="HubException"/> naming the
/// argument and what it must be, instead of SignalR's "an error on the server". Everything else is the stock protocol.
/// </summary>
public sealed class OptionalArgumentsHubProtocol : IHubProtocol
{
    private readonly JsonHubProtocol _inner;
    private readonly Dictionary<string, object?[]> _trailingDefaults;
    private readonly HubArgumentExplainer _explainer;

    public OptionalArgumentsHubProtocol(IOptions<JsonHubProtocolOptions> options)
    {
        _inner = new JsonHubProtocol(options);
        _trailingDefaults = TrailingDefaults(typeof(ControlHub));
        _explainer = new HubArgumentExplainer(typeof(ControlHub), options.Value.PayloadSerializerOptions);
    }

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        if (!_inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure)
        {
            var oneMessage = before.Slice(0, input.Start);
            if (_trailingDefaults.TryGetValue(failure.Target, out var defaults))
            {
                message = TryWithFewerArguments(oneMessage, binder, failure.Target, defaults) ?? message;
            }

            if (message is InvocationBindingFailureMessage stillFailing && _explainer.Explain(stillFailing.Target, oneMessage) is { } explanation)
            {
                message = new InvocationBindingFailureMessage(stillFailing.InvocationId, stillFailing.Target,
                    ExceptionDispatchInfo.Capture(new HubException(explanation)));
            }
        }

        return true;
    }

    /// <summary>Tries each shorter argument list (dropping 1..n trailing optional parameters) and pads with their defaults.</summary>
    private HubMessage? TryWithFewerArguments(ReadOnlySequence<byte> oneMessage, IInvocationBinder binder, string target, object?[] defaults)
    {
        var parameterTypes = binder.GetParameterTypes(target);
        for (var omitted = 1; omitted <= defaults.Length && omitted <= parameterTypes.Count; omitted++)
        {
            var retry = oneMessage;
            var shorter = new ShorterBinder(binder, target, parameterTypes.Take(parameterTypes.Count - omitted).ToArray());
            if (!_inner.TryParseMessage(ref retry, shorter, out var reparsed) || reparsed is not InvocationMessage invocation)
            {
                continue;
            }

            var arguments = new object?[parameterTypes.Count];
            invocation.Arguments.CopyTo(arguments, 0);
            for (var i = 0; i < omitted; i++)
            {
                arguments[parameterTypes.Count - omitted + i] = defaults[defaults.Length - omitted + i];
            }

            return new InvocationMessage(invocation.InvocationId, invocation.Target, arguments, invocation.StreamIds)
            {
                Headers = invocation.Headers,
            };
        }

        return null;
    }

    /// <summary>Method name to the default values of its trailing optional parameters, for methods that have any.</summary>
    private static Dictionary<string, object?[]> TrailingDefaults(Type hubType)
    {
        var result = new Dictionary<string, object?[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var method in hubType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            var parameters = method.GetParameters();
            var optional = parameters.Reverse().TakeWhile(p => p.HasDefaultValue).Reverse().Select(p => p.DefaultValue).ToArray();
            if (optional.Length > 0)
            {
                result[method.Name] = optional;
            }
        }

        return result;
    }

    private sealed class ShorterBinder(IInvocationBinder inner, string target, IReadOnlyList<Type> parameterTypes) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            string.Equals(methodName, target, StringComparison.OrdinalIgnoreCase) ? parameterTypes : inner.GetParameterTypes(methodName);

        public Type GetReturnType(string invocationId) => inner.GetReturnType(invocationId);

        public Type GetStreamItemType(string streamId) => inner.GetStreamItemType(streamId);
    }
}
