using System.Collections.Concurrent;

namespace Rhei.Data.Sql;

/// <summary>
/// Entry point of the analysis: lexes, splits and analyses a command text once, then serves the
/// same immutable <see cref="SqlCommandAnalysis"/> from a bounded cache keyed by the text, because
/// applications repeat the same few hundred command texts millions of times.
/// </summary>
internal static class SqlAnalyzer
{
    /// <summary>Entries kept before the cache is cleared; large enough for any real application's distinct texts.</summary>
    internal const int CacheCapacity = 4096;

    /// <summary>Texts longer than this are analysed every time: they are usually generated bulk statements that never repeat.</summary>
    internal const int MaxCachedLength = 16 * 1024;

    private static readonly ConcurrentDictionary<string, SqlCommandAnalysis> s_cache = new(StringComparer.Ordinal);

    public static SqlCommandAnalysis Analyze(string commandText)
    {
        ArgumentNullException.ThrowIfNull(commandText);
        if (s_cache.TryGetValue(commandText, out var cached))
        {
            return cached;
        }

        var analysis = AnalyzeUncached(commandText);
        if (commandText.Length <= MaxCachedLength)
        {
            if (s_cache.Count >= CacheCapacity)
            {
                // Clearing is crude but cheap and bounded; a working set that fits re-populates at once.
                s_cache.Clear();
            }

            analysis = s_cache.GetOrAdd(commandText, analysis);
        }

        return analysis;
    }

    internal static SqlCommandAnalysis AnalyzeUncached(string commandText)
    {
        var tokens = SqlLexer.Tokenize(commandText);
        var ranges = SqlStatementSplitter.Split(commandText, tokens);
        var statements = new SqlStatement[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            statements[i] = SqlStatementAnalyzer.Analyze(commandText, tokens, ranges[i].Start, ranges[i].End);
        }

        return new SqlCommandAnalysis(commandText, statements);
    }
}
