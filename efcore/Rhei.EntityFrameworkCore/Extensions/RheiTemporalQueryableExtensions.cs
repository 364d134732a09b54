using Rhei.EntityFrameworkCore.Query.Internal;

namespace Microsoft.EntityFrameworkCore;

/// <summary>
/// Point-in-time and history queries over a Rhei database opened with <c>Sync Mode=Temporal</c>, where the DuckDB
/// mirror keeps every version of every row. The results are not tracked: a row's versions share its key.
/// </summary>
/// <remarks>
/// Each method tags the query (<c>-- rhei:temporal asof 1700000000000</c>); Rhei turns the tag into
/// <c>FOR SYSTEM_TIME</c> clauses on every table of the query, which only the DuckDB mirror can answer. Times are
/// compared as UTC: a <see cref="DateTime"/> of kind <see cref="DateTimeKind.Local"/> is converted, one of kind
/// <see cref="DateTimeKind.Unspecified"/> is taken as UTC. Version periods are half-open [from, to), as in
/// SQL Server: AS OF t sees versions with <c>from &lt;= t &lt; to</c>.
/// </remarks>
public static class RheiTemporalQueryableExtensions
{
    /// <summary>The rows as they were at <paramref name="pointInTime"/>.</summary>
    public static IQueryable<T> TemporalAsOf<T>(this IQueryable<T> source, DateTime pointInTime)
        where T : class
        => Temporal(source, RheiTemporalTag.AsOf(ToUtc(pointInTime)));

    /// <summary>The rows as they were at <paramref name="pointInTime"/>.</summary>
    public static IQueryable<T> TemporalAsOf<T>(this IQueryable<T> source, DateTimeOffset pointInTime)
        where T : class
        => Temporal(source, RheiTemporalTag.AsOf(pointInTime));

    /// <summary>Every version of every row, current and past, deleted rows included.</summary>
    public static IQueryable<T> TemporalAll<T>(this IQueryable<T> source)
        where T : class
        => Temporal(source, RheiTemporalTag.All());

    /// <summary>The versions that were current at some instant in [<paramref name="from"/>, <paramref name="to"/>) (SQL's <c>FROM … TO</c>).</summary>
    public static IQueryable<T> TemporalFromTo<T>(this IQueryable<T> source, DateTime from, DateTime to)
        where T : class
        => Temporal(source, RheiTemporalTag.FromTo(ToUtc(from), ToUtc(to)));

    /// <summary>The versions that were current at some instant in [<paramref name="from"/>, <paramref name="to"/>] (SQL's <c>BETWEEN … AND</c>).</summary>
    public static IQueryable<T> TemporalBetween<T>(this IQueryable<T> source, DateTime from, DateTime to)
        where T : class
        => Temporal(source, RheiTemporalTag.Between(ToUtc(from), ToUtc(to)));

    /// <summary>The versions that opened and closed within [<paramref name="from"/>, <paramref name="to"/>] (SQL's <c>CONTAINED IN</c>).</summary>
    public static IQueryable<T> TemporalContainedIn<T>(this IQueryable<T> source, DateTime from, DateTime to)
        where T : class
        => Temporal(source, RheiTemporalTag.ContainedIn(ToUtc(from), ToUtc(to)));

    private static IQueryable<T> Temporal<T>(IQueryable<T> source, string tag)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.TagWith(tag).AsNoTracking();
    }

    private static DateTimeOffset ToUtc(DateTime value)
        => value.Kind == DateTimeKind.Local
            ? new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero)
            : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);
}
