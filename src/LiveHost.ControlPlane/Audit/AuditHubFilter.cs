using System.Reflection;
using System.Text.Json;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane;

/// <summary>
/// Records every hub call except the read-only ones (<c>GetState</c>, <c>Subscribe</c>, <c>Unsubscribe</c>, and any
/// <c>List*</c> or <c>Get*</c>) in the <see cref="IAuditLog"/>, whatever the method, so methods added later are recorded
/// without touching this filter. Before the method runs it refuses the call (<c>storageFailed</c>) while the log cannot
/// be written; after it returns or throws, it appends the entry and only then lets SignalR answer the caller, so a
/// caller that saw its command succeed knows it is in the log. Calls whose arguments do not bind never reach a method
/// (nor this filter) and are not recorded.
/// </summary>
public sealed class AuditHubFilter(
    IAuditLog audit, AuditCaller caller, TimeProvider time, IOptions<JsonHubProtocolOptions> json, IServiceProviderIsService? services = null) : IHubFilter
{
    private static readonly HashSet<string> ReadOnly = new(StringComparer.OrdinalIgnoreCase) { "GetState", "Subscribe", "Unsubscribe" };

    public static bool IsReadOnly(string method) =>
        ReadOnly.Contains(method) || method.StartsWith("List", StringComparison.Ordinal) || method.StartsWith("Get", StringComparison.Ordinal);

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (IsReadOnly(invocationContext.HubMethodName)) return await next(invocationContext);

        var at = time.GetUtcNow();
        try
        {
            audit.EnsureWritable();
        }
        catch (CommandRejectedException rejection)
        {
            throw CommandErrorMapping.ToHubException(rejection);
        }

        string result;
        try
        {
            var returned = await next(invocationContext);
            result = AuditCaller.Ok;
            Record(invocationContext, at, result);
            return returned;
        }
        catch (HubException refusal)
        {
            var code = refusal.InnerException is CommandRejectedException rejection ? rejection.Code : RejectionCode.InvalidInput;
            Record(invocationContext, at, AuditCaller.Refused(CommandErrorMapping.CodeName(code)));
            throw;
        }
        catch (CommandRejectedException rejection)
        {
            Record(invocationContext, at, AuditCaller.Refused(CommandErrorMapping.CodeName(rejection.Code)));
            throw;
        }
        catch (OperationCanceledException)
        {
            Record(invocationContext, at, AuditCaller.Aborted);
            throw;
        }
        catch (Exception)
        {
            Record(invocationContext, at, AuditCaller.Failed("internalError"));
            throw;
        }
    }

    private void Record(HubInvocationContext context, DateTimeOffset at, string result)
    {
        var (arguments, room) = Arguments(context);
        var user = context.Context.User;
        audit.Append(new AuditRecord(at, AuditCaller.KeyName(user), AuditCaller.RoleName(user), AuditCaller.Limit(room), context.HubMethodName,
            arguments, result));
    }

    /// <summary>
    /// The method's arguments as one object keyed by parameter name (injected services and cancellation tokens left
    /// out), and the room they name: a <c>room</c> parameter, else a <c>room</c> member of an argument (a line request);
    /// <c>main</c> when that is empty, none when the method has neither (a library command).
    /// </summary>
    private (string Arguments, string? Room) Arguments(HubInvocationContext context)
    {
        var parameters = context.HubMethod.GetParameters();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        string? room = null;
        var namesRoom = false;
        for (var i = 0; i < parameters.Length && i < context.HubMethodArguments.Count; i++)
        {
            var parameter = parameters[i];
            if (IsInjected(parameter)) continue;
            var value = context.HubMethodArguments[i];
            values[parameter.Name ?? "arg" + i] = value;
            if (string.Equals(parameter.Name, "room", StringComparison.OrdinalIgnoreCase) && parameter.ParameterType == typeof(string))
            {
                namesRoom = true;
                room = value as string;
            }
            else if (!namesRoom && value is not null && value.GetType().GetProperty("Room", BindingFlags.Public | BindingFlags.Instance) is { } property
                && property.PropertyType == typeof(string))
            {
                namesRoom = true;
                room = property.GetValue(value) as string;
            }
        }

        var element = JsonSerializer.SerializeToElement(values, json.Value.PayloadSerializerOptions);
        var name = namesRoom ? (string.IsNullOrWhiteSpace(room) ? RoomResolver.DefaultRoom : room.Trim()) : null;
        return (AuditArguments.Canonical(element, caller.IsApiKey), name);
    }

    private bool IsInjected(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(CancellationToken)
        || parameter.GetCustomAttribute<FromKeyedServicesAttribute>() is not null
        || parameter.GetCustomAttributes().Any(a => a.GetType().Name == "FromServicesAttribute")
        || services?.IsService(parameter.ParameterType) == true;
}
