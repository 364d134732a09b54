using System.Globalization;

namespace Rhei.EntityFrameworkCore.Query.Internal;

/// <summary>
/// Writes the query tag that carries a temporal request to Rhei's command planner:
/// <c>rhei:temporal &lt;asof|all|fromto|between|containedin&gt; [from-ms] [to-ms]</c>, instants in Unix epoch
/// milliseconds, the unit of the mirror's <c>_rhei_valid_from</c>/<c>_rhei_valid_to</c> columns.
/// </summary>
/// <remarks>Kept in step with <c>Rhei.Data.Sql.TemporalTag</c>, which reads it (see <c>RheiTemporalCommandInterceptor</c>).</remarks>
public static class RheiTemporalTag
{
    /// <summary>The tag's prefix.</summary>
    public const string Prefix = "rhei:temporal";

    /// <summary>AS OF one instant.</summary>
    public static string AsOf(DateTimeOffset pointInTime) => $"{Prefix} asof {Ms(pointInTime)}";

    /// <summary>ALL versions.</summary>
    public static string All() => $"{Prefix} all";

    /// <summary>FROM … TO.</summary>
    public static string FromTo(DateTimeOffset from, DateTimeOffset to) => $"{Prefix} fromto {Ms(from)} {Ms(to)}";

    /// <summary>BETWEEN … AND.</summary>
    public static string Between(DateTimeOffset from, DateTimeOffset to) => $"{Prefix} between {Ms(from)} {Ms(to)}";

    /// <summary>CONTAINED IN (…, …).</summary>
    public static string ContainedIn(DateTimeOffset from, DateTimeOffset to) => $"{Prefix} containedin {Ms(from)} {Ms(to)}";

    private static string Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
