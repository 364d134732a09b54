// Placeholder until the translator lands; replaced on merge.
namespace Rhei.Data.Sql
{
    internal sealed class TranslateOptions { public bool TemporalMirror { get; init; } public Func<string, bool>? IsTemporalTable { get; init; } }
    internal sealed record TranslatedStatement(string Sql, IReadOnlyList<SqlParameterRef> Parameters);
    internal static class SqlTranslator
    {
        public static bool TryTranslate(SqlStatement s, TranslateOptions o, out TranslatedStatement? t, out string? reason) { t = null; reason = "shim"; return false; }
    }
}
