namespace Rhei.Data.Sql;

/// <summary>
/// How SQLite would run a read, from <c>EXPLAIN QUERY PLAN</c>: one detail line per step (<c>SCAN sales</c>,
/// <c>SEARCH o USING INTEGER PRIMARY KEY (rowid=?)</c>, <c>USE TEMP B-TREE FOR ORDER BY</c>…). Table names in the
/// lines are those of the statement, or its aliases. The router asks two things of it: which tables SQLite would read
/// from end to end, and whether every table is reached through a key.
/// </summary>
internal sealed class SqliteQueryPlan
{
    private const string Scan = "SCAN ";
    private const string Search = "SEARCH ";

    public SqliteQueryPlan(IReadOnlyList<string> details) => Details = details;

    /// <summary>The plan's detail lines, in the order SQLite gave them.</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>
    /// The steps that read a table (or an alias) from end to end, with the name they read: a <c>SCAN</c> of a table,
    /// through a covering index or not, and a <c>SEARCH … USING AUTOMATIC</c> index, which SQLite builds by scanning the
    /// table first. <c>SCAN CONSTANT ROW</c> and scans of subquery results read no table.
    /// </summary>
    public IEnumerable<(string Name, string Detail)> FullScans()
    {
        foreach (var detail in Details)
        {
            if (detail.StartsWith(Scan, StringComparison.Ordinal) && NameAfter(detail, Scan.Length) is { } scanned
                && !scanned.StartsWith('(') && !detail.StartsWith("SCAN CONSTANT ROW", StringComparison.Ordinal))
            {
                yield return (scanned, detail);
            }
            else if (detail.StartsWith(Search, StringComparison.Ordinal) && detail.Contains(" USING AUTOMATIC ", StringComparison.Ordinal)
                && NameAfter(detail, Search.Length) is { } indexed)
            {
                yield return (indexed, detail);
            }
        }
    }

    /// <summary>
    /// When SQLite reaches every table through an equality on an index, the outermost step (the table it starts from, the
    /// detail and the columns it compares), for the router to check that they are the table's whole key (so at most one
    /// row starts the lookup, each further table giving the rows of one key). Null when any step scans, builds an
    /// automatic index or searches a range (a range may be most of the table).
    /// </summary>
    public (string Name, string Detail, IReadOnlyList<string> Columns)? KeyedSearch()
    {
        (string, string, IReadOnlyList<string>)? first = null;
        foreach (var detail in Details)
        {
            if (detail.StartsWith(Scan, StringComparison.Ordinal))
            {
                return null;
            }

            if (!detail.StartsWith(Search, StringComparison.Ordinal))
            {
                continue;
            }

            if (detail.Contains(" USING AUTOMATIC ", StringComparison.Ordinal) || EqualityColumns(detail) is not { } columns)
            {
                return null;
            }

            if (first is null && NameAfter(detail, Search.Length) is { } name)
            {
                first = (name, detail, columns);
            }
        }

        return first;
    }

    private static string? NameAfter(string detail, int start)
    {
        var end = detail.IndexOf(' ', start);
        var name = end < 0 ? detail[start..] : detail[start..end];
        return name.Length == 0 ? null : name;
    }

    /// <summary>
    /// The columns of a constraint that compares with <c>=</c> only (<c>(a=? AND b=?)</c> gives a and b), or null for a
    /// range (<c>(a&gt;? AND a&lt;?)</c>) or a step without one. SQLite writes the rowid as <c>rowid</c>.
    /// </summary>
    private static List<string>? EqualityColumns(string detail)
    {
        var open = detail.IndexOf('(', StringComparison.Ordinal);
        var close = detail.LastIndexOf(')');
        if (open < 0 || close < open || detail.AsSpan(open, close - open).IndexOfAny('<', '>') >= 0)
        {
            return null;
        }

        var columns = new List<string>();
        foreach (var term in detail[(open + 1)..close].Split(" AND ", StringSplitOptions.TrimEntries))
        {
            var equals = term.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            columns.Add(term[..equals]);
        }

        return columns;
    }
}
