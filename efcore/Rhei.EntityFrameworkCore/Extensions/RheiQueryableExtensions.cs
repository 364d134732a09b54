namespace Microsoft.EntityFrameworkCore;

/// <summary>Routing hints for LINQ queries on a Rhei context.</summary>
public static class RheiQueryableExtensions
{
    /// <summary>The query tag Rhei's router reads as "answer on the DuckDB mirror".</summary>
    public const string OlapTag = "rhei:olap";

    /// <summary>The query tag Rhei's router reads as "answer on SQLite".</summary>
    public const string OltpTag = "rhei:oltp";

    /// <summary>
    /// Asks for the query to be answered by the DuckDB mirror. EF writes the tag as the first line of the SQL
    /// (<c>-- rhei:olap</c>), where the router reads it. Outside a transaction the hint wins over the router's own
    /// choice; use it for reports whose shape the router would not recognise as analytical.
    /// </summary>
    /// <remarks>
    /// Leave it off queries over <see cref="decimal"/> arithmetic, comparisons, aggregates or ordering, and off
    /// <c>Regex.IsMatch</c>: EF's SQLite SQL uses the <c>ef_*</c> functions, <c>regexp</c> and the <c>EF_DECIMAL</c>
    /// collation, which exist only on SQLite, so a forced DuckDB route fails. Without the hint the router sends
    /// such queries to SQLite by itself and the answer stays exact.
    /// </remarks>
    public static IQueryable<T> AsOlap<T>(this IQueryable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.TagWith(OlapTag);
    }

    /// <summary>Asks for the query to be answered by SQLite (<c>-- rhei:oltp</c>), e.g. to read one's own latest write without waiting for the mirror.</summary>
    public static IQueryable<T> AsOltp<T>(this IQueryable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.TagWith(OltpTag);
    }
}
