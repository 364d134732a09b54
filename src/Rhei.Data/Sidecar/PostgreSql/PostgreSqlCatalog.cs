using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Describes followed tables from PostgreSQL's catalog: the columns with their DuckDB mapping, the key (the primary
/// key, or the per-table setting), and the replica identity. A table whose name is neither <c>public</c>'s nor
/// schema-qualified is looked up in <c>public</c>; names are reported as given (unqualified for <c>public</c>).
/// </summary>
internal static class PostgreSqlCatalog
{
    private const string TablesSql = """
        SELECT c.oid, n.nspname, c.relname, c.relreplident::text,
               EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
        ORDER BY n.nspname, c.relname
        """;

    private const string ColumnsSql = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname, t.typtype::text, a.atttypmod, e.typname, e.typtype::text, NOT a.attnotnull
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    private const string PrimaryKeySql = """
        SELECT a.attname
        FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord), pg_attribute a
        WHERE i.indrelid = $1 AND i.indisprimary AND a.attrelid = i.indrelid AND a.attnum = k.attnum
        ORDER BY k.ord
        """;

    /// <summary>
    /// Describes the tables <paramref name="settings"/> names (every table with a primary key when none). Tables with a
    /// column type that has no mapping are left out and quarantined; a named table that does not exist, or has no key,
    /// is refused.
    /// </summary>
    public static async Task<IReadOnlyList<PostgreSqlTableInfo>> DescribeAsync(NpgsqlConnection connection, SidecarSettings settings, PostgreSqlQuarantine quarantine, CancellationToken cancellationToken)
    {
        var all = new List<(uint Oid, string Schema, string Name, char ReplicaIdentity, bool HasPrimaryKey)>();
        await using (var command = new NpgsqlCommand(TablesSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                all.Add((reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)[0], reader.GetBoolean(4)));
            }
        }

        var chosen = new List<(uint Oid, string Schema, string Name, string Reported, char ReplicaIdentity, bool HasPrimaryKey)>();
        if (settings.Tables.Count == 0)
        {
            foreach (var table in all.Where(t => t.HasPrimaryKey || settings.TableSettings.ContainsKey(Reported(t.Schema, t.Name))))
            {
                chosen.Add((table.Oid, table.Schema, table.Name, Reported(table.Schema, table.Name), table.ReplicaIdentity, table.HasPrimaryKey));
            }
        }
        else
        {
            foreach (var requested in settings.Tables)
            {
                var dot = requested.IndexOf('.', StringComparison.Ordinal);
                var schema = dot < 0 ? "public" : requested[..dot];
                var name = dot < 0 ? requested : requested[(dot + 1)..];
                var match = all.FirstOrDefault(t => t.Schema == schema && t.Name == name);
                if (match.Name is null)
                {
                    match = all.FirstOrDefault(t => string.Equals(t.Schema, schema, StringComparison.OrdinalIgnoreCase) && string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
                }

                if (match.Name is null)
                {
                    throw PostgreSqlErrors.Refuse($"Sidecar Tables names '{requested}', which is not a table of the PostgreSQL source");
                }

                chosen.Add((match.Oid, match.Schema, match.Name, requested, match.ReplicaIdentity, match.HasPrimaryKey));
            }
        }

        var described = new List<PostgreSqlTableInfo>(chosen.Count);
        foreach (var table in chosen)
        {
            var info = await DescribeTableAsync(connection, table.Oid, table.Schema, table.Name, table.Reported, table.ReplicaIdentity, table.HasPrimaryKey, settings, quarantine, cancellationToken).ConfigureAwait(false);
            if (info is not null)
            {
                described.Add(info);
            }
        }

        return described;
    }

    private static async Task<PostgreSqlTableInfo?> DescribeTableAsync(
        NpgsqlConnection connection, uint oid, string schema, string name, string reported, char replicaIdentity, bool hasPrimaryKey, SidecarSettings settings, PostgreSqlQuarantine quarantine, CancellationToken cancellationToken)
    {
        settings.TableSettings.TryGetValue(reported, out var tableSettings);
        var columns = new List<SidecarColumn>();
        var types = new List<PostgreSqlColumnType>();
        await using (var command = new NpgsqlCommand(ColumnsSql, connection) { Parameters = { new() { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var column = reader.GetString(0);
                if (tableSettings?.Columns is { } wanted && !wanted.Contains(column, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var type = PostgreSqlTypeMap.Map(reader.GetString(2), reader.GetString(3)[0], reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)[0], out var reason);
                if (type is null)
                {
                    quarantine.Add(reported, $"column {column} ({reader.GetString(1)}): {reason}");
                    return null;
                }

                columns.Add(new SidecarColumn(column, reader.GetString(1), type.DuckDbType, reader.GetBoolean(7)));
                types.Add(type);
            }
        }

        var key = new List<string>();
        if (tableSettings?.PrimaryKey is { Count: > 0 } configured)
        {
            key.AddRange(configured);
        }
        else
        {
            await using var command = new NpgsqlCommand(PrimaryKeySql, connection) { Parameters = { new() { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid } } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                key.Add(reader.GetString(0));
            }
        }

        if (key.Count == 0)
        {
            throw PostgreSqlErrors.Refuse(
                $"table {reported} has no primary key, so its rows cannot be followed: add one (ALTER TABLE {Quote(schema, name)} ADD PRIMARY KEY (…)), or name its key columns in the table's sidecar settings (logical replication then also needs ALTER TABLE {Quote(schema, name)} REPLICA IDENTITY FULL)");
        }

        foreach (var part in key)
        {
            if (!columns.Any(c => c.Name == part))
            {
                throw PostgreSqlErrors.Refuse($"table {reported}: key column {part} is not one of its followed columns");
            }
        }

        return new PostgreSqlTableInfo(
            new SidecarTable(reported, columns, key, null, null), [.. types], oid, schema, name, replicaIdentity, hasPrimaryKey);
    }

    /// <summary>The name reported for a table: bare in <c>public</c>, schema-qualified elsewhere.</summary>
    public static string Reported(string schema, string name) => schema == "public" ? name : $"{schema}.{name}";

    /// <summary>A quoted, schema-qualified identifier for SQL.</summary>
    public static string Quote(string schema, string name) => $"{QuoteIdentifier(schema)}.{QuoteIdentifier(name)}";

    public static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
