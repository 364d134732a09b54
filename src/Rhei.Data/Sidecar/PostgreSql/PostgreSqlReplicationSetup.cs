using System.Text.RegularExpressions;
using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// The checks and catalog objects logical replication needs: <c>wal_level=logical</c>, a role with REPLICATION, a
/// replica identity for every followed table, and the publication (named by <see cref="SidecarSettings.ReplicationName"/>,
/// created or reused, a missing followed table added). Every check runs before anything is created, so a
/// configuration that cannot work leaves the server as it was; each refusal says what to run.
/// </summary>
internal static partial class PostgreSqlReplicationSetup
{
    [GeneratedRegex("^[a-z0-9_]{1,63}$")]
    private static partial Regex SlotNamePattern();

    public static void CheckName(string name)
    {
        if (!SlotNamePattern().IsMatch(name))
        {
            throw PostgreSqlErrors.Refuse($"the sidecar replication name '{name}' cannot name a replication slot: use 1 to 63 lower-case letters, digits or underscores");
        }
    }

    public static async Task CheckServerAndRoleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var walLevel = (string?)await ScalarAsync(connection, "SHOW wal_level", cancellationToken).ConfigureAwait(false);
        if (walLevel != "logical")
        {
            throw PostgreSqlErrors.Refuse($"the PostgreSQL source has wal_level={walLevel}; logical replication needs ALTER SYSTEM SET wal_level = logical and a server restart (or use Sidecar Capture=Timestamp)");
        }

        var role = (string)(await ScalarAsync(connection, "SELECT current_user::text", cancellationToken).ConfigureAwait(false))!;
        var canReplicate = (bool)(await ScalarAsync(connection, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user", cancellationToken).ConfigureAwait(false))!;
        if (!canReplicate)
        {
            throw PostgreSqlErrors.Refuse($"role {role} may not create a replication slot: a superuser must run ALTER ROLE {PostgreSqlCatalog.QuoteIdentifier(role)} REPLICATION (or use Sidecar Capture=Timestamp)");
        }
    }

    public static void CheckReplicaIdentity(PostgreSqlTableInfo table)
    {
        var quoted = table.QuotedName;
        switch (table.ReplicaIdentity)
        {
            case 'n':
                throw PostgreSqlErrors.Refuse($"table {table.Table.Name} has REPLICA IDENTITY NOTHING, so its updates and deletes do not say which row: run ALTER TABLE {quoted} REPLICA IDENTITY DEFAULT (with a primary key) or ALTER TABLE {quoted} REPLICA IDENTITY FULL");
            case 'd' when !table.HasPrimaryKey:
                throw PostgreSqlErrors.Refuse($"table {table.Table.Name} has no primary key, so its replica identity is empty: run ALTER TABLE {quoted} REPLICA IDENTITY FULL, or add a primary key");
        }
    }

    /// <summary>Creates the publication for <paramref name="tables"/>, or reuses it and adds the followed tables it lacks; refuses, creating nothing, without the rights.</summary>
    public static async Task EnsurePublicationAsync(NpgsqlConnection connection, string name, IReadOnlyList<PostgreSqlTableInfo> tables, CancellationToken cancellationToken)
    {
        var quotedName = PostgreSqlCatalog.QuoteIdentifier(name);
        var allTables = await ScalarAsync(connection, $"SELECT puballtables FROM pg_publication WHERE pubname = '{name}'", cancellationToken).ConfigureAwait(false);
        if (allTables is true)
        {
            return;
        }

        var published = new HashSet<uint>();
        if (allTables is not null)
        {
            await using var command = new NpgsqlCommand("SELECT prrelid FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid WHERE p.pubname = $1", connection) { Parameters = { new() { Value = name } } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                published.Add(reader.GetFieldValue<uint>(0));
            }
        }

        var missing = tables.Where(t => !published.Contains(t.Oid)).ToList();
        if (missing.Count == 0 && allTables is not null)
        {
            return;
        }

        // With no table to follow yet the publication is still made (empty), so the stream can start.
        var list = string.Join(", ", missing.Select(t => t.QuotedName));
        var statement = allTables is not null ? $"ALTER PUBLICATION {quotedName} ADD TABLE {list}"
            : missing.Count == 0 ? $"CREATE PUBLICATION {quotedName}"
            : $"CREATE PUBLICATION {quotedName} FOR TABLE {list}";

        // Only a table's owner may publish it, and creating a publication needs CREATE on the database: check both
        // first, so a refusal leaves nothing half made.
        var mayCreate = allTables is not null || (bool)(await ScalarAsync(connection, "SELECT has_database_privilege(current_database(), 'CREATE')", cancellationToken).ConfigureAwait(false))!;
        if (!mayCreate && missing.Count == 0)
        {
            throw PostgreSqlErrors.Refuse($"the role may not create publication {name} (no CREATE privilege on the database): the database owner must run {statement}");
        }

        foreach (var table in missing)
        {
            var owns = (bool)(await ScalarAsync(connection, $"SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = {table.Oid}", cancellationToken).ConfigureAwait(false))!;
            if (!owns || !mayCreate)
            {
                throw PostgreSqlErrors.Refuse(
                    $"the role may not publish table {table.Table.Name} ({(owns ? "no CREATE privilege on the database" : "it does not own the table")}): the table's owner must run {statement}");
            }
        }

        await using var create = new NpgsqlCommand(statement, connection);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The slot named <paramref name="name"/>: null when it does not exist; refused when it is not a pgoutput slot of this database.</summary>
    public static async Task<(bool Active, string ConfirmedFlush)?> SlotAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT plugin::text, database::text = current_database(), active, coalesce(confirmed_flush_lsn::text, '') FROM pg_replication_slots WHERE slot_name = $1", connection)
        {
            Parameters = { new() { Value = name } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (reader.IsDBNull(0) || reader.GetString(0) != "pgoutput" || reader.IsDBNull(1) || !reader.GetBoolean(1))
        {
            throw PostgreSqlErrors.Refuse($"replication slot {name} exists but is not a pgoutput slot of this database: choose another sidecar replication name");
        }

        return (reader.GetBoolean(2), reader.GetString(3));
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }
}
