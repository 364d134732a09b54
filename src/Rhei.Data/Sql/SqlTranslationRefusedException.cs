namespace Rhei.Data.Sql;

/// <summary>Unwinds the translation walk when a construct has no faithful DuckDB form; never escapes <see cref="SqlTranslator"/>.</summary>
internal sealed class SqlTranslationRefusedException(string reason) : Exception(reason);
