using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>Writes log lines to the xunit output (ignoring lines that arrive after the test ended).</summary>
internal sealed class TestLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            output.WriteLine($"[{logLevel}] {formatter(state, exception)}{(exception is null ? "" : " :: " + exception.ToString())}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished.
        }
    }
}
