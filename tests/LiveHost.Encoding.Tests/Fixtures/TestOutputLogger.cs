using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LiveHost.Encoding.Tests.Fixtures;

/// <summary>Sends a component's log to the test's output, so a failing run shows what ffmpeg said.</summary>
public sealed class TestOutputLogger<T>(ITestOutputHelper output, LogLevel minimum = LogLevel.Debug) : ILogger<T>
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var line = $"[{logLevel}] {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}";
        lock (Lines) Lines.Add(line);
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
