using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rhei.Tool;

/// <summary>Keeps the last warnings and errors Rhei.Data logged, for the dashboard's "recent errors".</summary>
internal sealed class RecentLog : ILoggerProvider
{
    private const int Capacity = 20;
    private readonly ConcurrentQueue<RecentLogEntry> _entries = new();

    public IReadOnlyList<RecentLogEntry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(RecentLogEntry entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > Capacity && _entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(RecentLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Add(new RecentLogEntry(DateTimeOffset.Now, logLevel, category, formatter(state, exception)));
            }
        }
    }
}
