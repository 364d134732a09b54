using System.Globalization;
using System.Text;

namespace Rhei.Data.Sql;

/// <summary>
/// Turns a temporal request carried by a leading comment (an EF Core query tag), such as
/// <c>-- rhei:temporal asof 1700000000000</c>, into <c>FOR SYSTEM_TIME</c> clauses on every table the query reads,
/// which the router sends to the temporal DuckDB mirror and the translator rewrites into period predicates.
/// </summary>
/// <remarks>
/// Forms: <c>asof &lt;t&gt;</c>, <c>all</c>, <c>fromto &lt;a&gt; &lt;b&gt;</c>, <c>between &lt;a&gt; &lt;b&gt;</c>,
/// <c>containedin &lt;a&gt; &lt;b&gt;</c>; instants are Unix epoch milliseconds (UTC), the unit of the mirror's
/// <c>_rhei_valid_from</c>/<c>_rhei_valid_to</c>. The tag exists because EF Core cannot put <c>FOR SYSTEM_TIME</c>
/// after a table name without a provider of its own; hand-written SQL can simply use the clause.
/// A table that already has a clause keeps it.
/// </remarks>
internal static class TemporalTag
{
    /// <summary>The tag's prefix; Rhei.EntityFrameworkCore's <c>RheiTemporalTag</c> writes tags with the builders below.</summary>
    internal const string Marker = "rhei:temporal";

    private const string AsOfForm = "asof";
    private const string AllForm = "all";
    private const string FromToForm = "fromto";
    private const string BetweenForm = "between";
    private const string ContainedInForm = "containedin";

    /// <summary>The tag for AS OF one instant (Unix epoch milliseconds).</summary>
    internal static string AsOf(long instant) => $"{Marker} {AsOfForm} {Ms(instant)}";

    /// <summary>The tag for ALL versions.</summary>
    internal static string All() => $"{Marker} {AllForm}";

    /// <summary>The tag for FROM … TO.</summary>
    internal static string FromTo(long from, long to) => $"{Marker} {FromToForm} {Ms(from)} {Ms(to)}";

    /// <summary>The tag for BETWEEN … AND.</summary>
    internal static string Between(long from, long to) => $"{Marker} {BetweenForm} {Ms(from)} {Ms(to)}";

    /// <summary>The tag for CONTAINED IN (…, …).</summary>
    internal static string ContainedIn(long from, long to) => $"{Marker} {ContainedInForm} {Ms(from)} {Ms(to)}";

    /// <summary>
    /// The command text with the tag's clause applied to each table, or null when the text carries no tag.
    /// </summary>
    /// <param name="commandText">The command text.</param>
    /// <param name="temporalMode">Whether the connection keeps history (<c>Sync Mode=Temporal</c>).</param>
    /// <exception cref="RheiException">The tag is malformed, the command writes, or there is no history to read.</exception>
    public static string? Apply(string commandText, bool temporalMode)
    {
        ArgumentNullException.ThrowIfNull(commandText);
        // Cheap test first: every command passes through here.
        if (commandText.IndexOf(Marker, StringComparison.OrdinalIgnoreCase) < 0 || FindTag(commandText) is not { } tag)
        {
            return null;
        }

        if (!temporalMode)
        {
            throw RheiException.Provider(
                $"The query asks for history ('{tag}') but the connection does not keep any. Open it with 'Sync Mode=Temporal'.");
        }

        var clause = " " + ToClause(tag);
        var analysis = SqlAnalyzer.Analyze(commandText);
        var insertions = new List<int>();
        foreach (var statement in analysis.Statements)
        {
            if (!statement.IsRead)
            {
                throw RheiException.Provider(
                    $"A temporal query reads history; it cannot run {statement.Kind.ToString().ToUpperInvariant()} statements ('{tag}').");
            }

            foreach (var table in statement.Tables)
            {
                if (table.Temporal is null)
                {
                    insertions.Add(statement.Tokens[table.NameEndToken - 1].End);
                }
            }
        }

        if (insertions.Count == 0)
        {
            return null;
        }

        insertions.Sort();
        var text = new StringBuilder(commandText.Length + insertions.Count * clause.Length);
        var copied = 0;
        foreach (var position in insertions)
        {
            text.Append(commandText, copied, position - copied).Append(clause);
            copied = position;
        }

        return text.Append(commandText, copied, commandText.Length - copied).ToString();
    }

    /// <summary>The tag's text (after <c>--</c>) among the leading comment lines, as EF Core writes its tags.</summary>
    private static string? FindTag(string commandText)
    {
        var position = 0;
        while (position < commandText.Length)
        {
            var lineEnd = commandText.IndexOf('\n', position);
            if (lineEnd < 0)
            {
                lineEnd = commandText.Length;
            }

            var line = commandText.AsSpan(position, lineEnd - position).Trim();
            if (!line.StartsWith("--"))
            {
                // Tags come first and end at the first blank or SQL line.
                return null;
            }

            var body = line[2..].Trim();
            if (body.StartsWith(Marker, StringComparison.OrdinalIgnoreCase))
            {
                return body.ToString();
            }

            position = lineEnd + 1;
        }

        return null;
    }

    private static string ToClause(string tag)
    {
        var parts = tag[Marker.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var kind = parts.Length > 0 ? parts[0].ToLowerInvariant() : string.Empty;
        var instants = new long[parts.Length - Math.Min(1, parts.Length)];
        for (var i = 0; i < instants.Length; i++)
        {
            if (!long.TryParse(parts[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out instants[i]))
            {
                throw Malformed(tag);
            }
        }

        return (kind, instants.Length) switch
        {
            (AsOfForm, 1) => $"FOR SYSTEM_TIME AS OF {Ms(instants[0])}",
            (AllForm, 0) => "FOR SYSTEM_TIME ALL",
            (FromToForm, 2) => $"FOR SYSTEM_TIME FROM {Ms(instants[0])} TO {Ms(instants[1])}",
            (BetweenForm, 2) => $"FOR SYSTEM_TIME BETWEEN {Ms(instants[0])} AND {Ms(instants[1])}",
            (ContainedInForm, 2) => $"FOR SYSTEM_TIME CONTAINED IN ({Ms(instants[0])}, {Ms(instants[1])})",
            _ => throw Malformed(tag),
        };
    }

    private static string Ms(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static RheiException Malformed(string tag)
        => RheiException.Provider(
            $"The temporal tag '{tag}' is malformed. Expected 'rhei:temporal' followed by 'asof <ms>', 'all', 'fromto <ms> <ms>', 'between <ms> <ms>' or 'containedin <ms> <ms>' (Unix epoch milliseconds).");
}
