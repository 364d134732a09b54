namespace Rhei.Data.Sql;

/// <summary>
/// DuckDB SQL equivalent to a SQLite statement. <see cref="Parameters"/>[i] is the original parameter to bind
/// to DuckDB's <c>$(i+1)</c>. If DuckDB rejects <see cref="Sql"/> when preparing it, run the statement on SQLite:
/// the translation prefers SQL that fails to bind over SQL that could answer differently.
/// </summary>
internal sealed record TranslatedStatement(string Sql, IReadOnlyList<SqlParameterRef> Parameters);
