namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// A followed PostgreSQL table as a source sees it: the <see cref="SidecarTable"/> it reports, each column's value
/// mapping (in <see cref="SidecarTable.Columns"/> order), and its catalog identity (oid, schema, relation name,
/// replica identity: <c>d</c>efault, <c>n</c>othing, <c>f</c>ull, <c>i</c>ndex, and whether it has a primary key).
/// </summary>
internal sealed record PostgreSqlTableInfo(
    SidecarTable Table,
    PostgreSqlColumnType[] Types,
    uint Oid,
    string Schema,
    string RelationName,
    char ReplicaIdentity,
    bool HasPrimaryKey)
{
    /// <summary>The quoted, schema-qualified name for SQL.</summary>
    public string QuotedName => PostgreSqlCatalog.Quote(Schema, RelationName);

    // Cached with the table it was computed for: a `with` copy that changes Table must not keep the old ordinals.
    private (SidecarTable Table, int[] Ordinals)? _keyOrdinals;

    /// <summary>Positions of the key columns in <see cref="SidecarTable.Columns"/>.</summary>
    public int[] KeyOrdinals
    {
        get
        {
            if (_keyOrdinals is not { } cached || !ReferenceEquals(cached.Table, Table))
            {
                _keyOrdinals = cached = (Table, [.. Table.PrimaryKey.Select(k => IndexOf(Table, k))]);
            }

            return cached.Ordinals;
        }
    }

    /// <summary>The column list of a SELECT or COPY, with <c>::text</c> where <see cref="PostgreSqlColumnType.CopiedAsText"/>.</summary>
    public string SelectList => string.Join(", ", Table.Columns.Select((c, i) =>
        Types[i].CopiedAsText ? $"{PostgreSqlCatalog.QuoteIdentifier(c.Name)}::text" : PostgreSqlCatalog.QuoteIdentifier(c.Name)));

    private static int IndexOf(SidecarTable table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }
}
