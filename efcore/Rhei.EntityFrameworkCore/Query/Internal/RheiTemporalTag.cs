using Rhei.Data.Sql;

namespace Rhei.EntityFrameworkCore.Query.Internal;

/// <summary>
/// Writes the query tag that carries a temporal request to Rhei's command planner:
/// <c>rhei:temporal &lt;asof|all|fromto|between|containedin&gt; [from-ms] [to-ms]</c>, instants in Unix epoch
/// milliseconds, the unit of the mirror's <c>_rhei_valid_from</c>/<c>_rhei_valid_to</c> columns.
/// </summary>
/// <remarks>
/// The format has one definition, <c>Rhei.Data.Sql.TemporalTag</c>, which both writes the tag (for this type) and reads it
/// (in the planner and in <c>RheiTemporalCommandInterceptor</c>).
/// </remarks>
public static class RheiTemporalTag
{
    /// <summary>The tag's prefix.</summary>
    public const string Prefix = TemporalTag.Marker;

    /// <summary>AS OF one instant.</summary>
    public static string AsOf(DateTimeOffset pointInTime) => TemporalTag.AsOf(pointInTime.ToUnixTimeMilliseconds());

    /// <summary>ALL versions.</summary>
    public static string All() => TemporalTag.All();

    /// <summary>FROM … TO.</summary>
    public static string FromTo(DateTimeOffset from, DateTimeOffset to) => TemporalTag.FromTo(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());

    /// <summary>BETWEEN … AND.</summary>
    public static string Between(DateTimeOffset from, DateTimeOffset to) => TemporalTag.Between(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());

    /// <summary>CONTAINED IN (…, …).</summary>
    public static string ContainedIn(DateTimeOffset from, DateTimeOffset to) => TemporalTag.ContainedIn(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
}
