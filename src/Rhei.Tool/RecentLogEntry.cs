using Microsoft.Extensions.Logging;

namespace Rhei.Tool;

internal sealed record RecentLogEntry(DateTimeOffset At, LogLevel Level, string Category, string Message);
