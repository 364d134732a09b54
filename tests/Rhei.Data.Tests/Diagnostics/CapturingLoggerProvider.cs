using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rhei.Data.Tests.Diagnostics;

/// <summary>One log entry as a provider receives it: the category, level, event id, the formatted line and its exception.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    /// <summary>Everything a log sink could write: the line and the exception with its inner ones and stack.</summary>
    public string Everything => Message + Environment.NewLine + Exception;
}

/// <summary>An <see cref="ILoggerProvider"/> that keeps every entry at every level, for tests to read back.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("This factory is its own only provider.");

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a sink that writes them must not find a password either.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? " " + string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner._entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception) + values, exception));
        }
    }
}
