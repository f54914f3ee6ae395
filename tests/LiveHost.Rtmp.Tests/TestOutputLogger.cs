using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LiveHost.Rtmp.Tests;

/// <summary>Routes the outputs' logs into the xunit test output, so a failing integration test shows what happened.</summary>
/// <param name="onLine">Also handed every formatted line (for tests that check what is logged).</param>
public sealed class TestOutputLoggerFactory(ITestOutputHelper output, Action<string>? onLine = null) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName, onLine);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class TestOutputLogger(ITestOutputHelper output, string category, Action<string>? onLine) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            onLine?.Invoke(formatter(state, exception) + (exception is null ? "" : " " + exception));
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category.Split('.')[^1]}: {formatter(state, exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished; a late log line has nowhere to go.
            }
        }
    }
}
