using Rhei.Data.Sql;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Sidecar mode's write rule, checked once a command is planned: with <c>Local Oltp=False</c> every write is refused
/// (the followed database is the system of record and Rhei never writes it, rhei's <c>OltpNotAvailable</c>); with
/// <c>Local Oltp=True</c> writes go to the local file, except those aimed at a followed table.
/// </summary>
internal static class SidecarWriteGuard
{
    public static void ThrowIfRefused(RheiEngine engine, CommandPlan plan, string commandText)
    {
        if (engine.Sidecar is not { } sidecar || plan.Control is not null)
        {
            return;
        }

        foreach (var statement in SqlAnalyzer.Analyze(commandText).Statements)
        {
            if (!Writes(statement))
            {
                continue;
            }

            if (!sidecar.LocalOltp)
            {
                throw new RheiException(
                    $"This data source follows its {sidecar.Kind} source read-only (Sidecar={sidecar.Kind}, 'Local Oltp=False'): writes are refused ({statement.Kind} statement). Write to the source database itself, or set 'Local Oltp=True' to keep local tables in the 'Data Source' file.",
                    RheiException.ProviderEngineName);
            }

            if ((statement.TargetTable is { } target && sidecar.IsFollowed(target))
                || statement.Text.Contains(SidecarSqliteFallback.SchemaName, StringComparison.OrdinalIgnoreCase))
            {
                throw new RheiException(
                    $"Table '{statement.TargetTable}' is followed from the {sidecar.Kind} source read-only: a {statement.Kind} statement on it is refused. Write to the source database itself; local tables of the 'Data Source' file take writes.",
                    RheiException.ProviderEngineName);
            }
        }
    }

    private static bool Writes(SqlStatement statement) => statement.IsWrite || statement.IsDdl
        || statement.Kind is SqlStatementKind.Attach or SqlStatementKind.Detach or SqlStatementKind.Vacuum or SqlStatementKind.Reindex;
}
