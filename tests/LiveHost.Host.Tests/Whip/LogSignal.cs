using Microsoft.Extensions.Logging;

namespace LiveHost.Host.Tests.Whip;

/// <summary>A logger provider that lets a test await the first log message matching a condition, as an event.</summary>
public sealed class LogSignal : ILoggerProvider
{
    private readonly List<(Func<string, string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    /// <summary>The next message (category, text) <paramref name="match"/> accepts, logged from now on.</summary>
    public Task<string> NextAsync(Func<string, string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add((match, found));
        return found.Task.WaitAsync(timeout);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Log(string category, string message)
    {
        List<TaskCompletionSource<string>> matched = [];
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(category, message)) continue;
                matched.Add(_waiters[i].Found);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var found in matched) found.TrySetResult(message);
    }

    private sealed class Logger(LogSignal owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.Log(category, formatter(state, exception));
        }
    }
}
