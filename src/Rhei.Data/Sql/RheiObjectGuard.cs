namespace Rhei.Data.Sql;

/// <summary>
/// Refuses writes and DDL that touch Rhei's own objects (<c>_rhei_cdc_log</c>, <c>_rhei_consumers</c>, its triggers and
/// indexes…) when they come through a <see cref="RheiConnection"/>: deleting log rows, dropping or renaming the log,
/// or adding a trigger on it silently diverges the mirror or breaks every write. Reads stay allowed. Rhei's own
/// bookkeeping runs on its own SQLite connections and never passes through here.
/// </summary>
internal static class RheiObjectGuard
{
    private const string Prefix = "_rhei_";

    /// <summary>Throws a <see cref="RheiException"/> naming the object if <paramref name="statement"/> would change one of Rhei's objects.</summary>
    public static void RejectChange(SqlStatement statement)
    {
        if (statement.IsWrite && statement.TargetTable is { } target && IsRheiName(target))
        {
            throw Refused(target, statement);
        }

        if (!statement.IsDdl)
        {
            return;
        }

        // DDL: the object created, altered or dropped, the table a trigger or index is on, a rename's new name, or a
        // trigger body's writes: any name in Rhei's namespace.
        foreach (var token in statement.Tokens)
        {
            if (token.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.Keyword
                && token.Unquote(statement.CommandText) is var name && IsRheiName(name))
            {
                throw Refused(name, statement);
            }
        }
    }

    private static bool IsRheiName(string name)
    {
        var dot = name.LastIndexOf('.');
        var bare = dot >= 0 ? name[(dot + 1)..] : name;
        return bare.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
    }

    private static RheiException Refused(string name, SqlStatement statement)
        => RheiException.Provider(
            $"'{name}' belongs to Rhei's change capture: {(statement.IsWrite ? "writes to" : "DDL on")} Rhei's own objects (names starting "
            + $"with {Prefix}) are refused, because they would silently diverge the mirror or break every write. Nothing was changed. "
            + "Reading them is allowed.");
}
