using LiveHost.ControlPlane.Llm;
using LiveHost.ControlPlane.Tests.Comments;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary>The comment test host pointed at a chat server, room "main" answering with the model in <c>mode</c>.</summary>
public static class LlmHost
{
    public const string ApiKey = "sk-test-secret-4242";

    public static Dictionary<string, string?> Settings(string baseUrl, string mode = "auto") => new()
    {
        ["Llm:BaseUrl"] = baseUrl,
        ["Llm:Model"] = "test-model",
        ["Llm:ApiKey"] = ApiKey,
        ["Rooms:main:Llm:Mode"] = mode,
        ["Rooms:main:Llm:Persona"] = "You are Mia, the cheerful host of Mia's kitchen shop.",
    };

    public static Task<(ControlPlaneTestHost Host, FakeTimeProvider Time)> StartAsync(Dictionary<string, string?> settings,
        Action<IServiceCollection>? services = null) => CommentHost.StartAsync(settings, services);

    public static async Task<LlmAnswerEnded> EndedAsync(System.Threading.Channels.Channel<LlmAnswerEnded> ended) =>
        Assert.Single(await CommentHost.TakeAsync(ended, 1));

    public static System.Threading.Channels.Channel<LlmAnswerEnded> CollectEnded(HubConnection staff) =>
        CommentHost.Collect<LlmAnswerEnded>(staff, LlmAnswerer.EndedEvent);
}
