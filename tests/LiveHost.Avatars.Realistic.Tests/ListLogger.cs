using Microsoft.Extensions.Logging;

namespace LiveHost.Avatars.Realistic.Tests;

/// <summary>Keeps every formatted log message (thread-safe), so a test can read what was logged.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get { lock (_messages) return [.. _messages]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_messages) _messages.Add(formatter(state, exception));
    }
}
