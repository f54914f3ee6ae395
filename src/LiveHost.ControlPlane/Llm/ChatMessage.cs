namespace LiveHost.ControlPlane.Llm;

/// <summary>One message of a chat-completions request (<c>role</c>: system, user or assistant).</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>The chat server could not answer (down, refused, timed out, a bad reply, or the breaker is open).</summary>
public sealed class LlmUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
