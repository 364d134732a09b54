namespace Rhei.Data.Sql;

/// <summary>The form of a <c>FOR SYSTEM_TIME</c> clause.</summary>
internal enum SqlTemporalKind
{
    AsOf,
    All,
    FromTo,
    Between,
    ContainedIn,
}

/// <summary>
/// A <c>FOR SYSTEM_TIME</c> clause; the instants are token ranges [start, end) of <see cref="SqlStatement.Tokens"/>
/// (both -1 when absent) so they can be translated like any other expression.
/// </summary>
internal sealed record SqlTemporalClause(SqlTemporalKind Kind, int FirstToken, int EndToken, (int Start, int End) From, (int Start, int End) To);
