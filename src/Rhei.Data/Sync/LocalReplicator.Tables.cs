using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

internal sealed partial class LocalReplicator
{
    /// <summary>Registers a table with the shape SQLite reports and loads its rows. Idempotent.</summary>
    public async Task RegisterTableAsync(string table, CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            SqlIdentifier.Validate(table, "table name");
            var schema = SqliteSchemaReader.Read(Sqlite, table) ?? throw new InvalidOperationException($"Table '{table}' does not exist in the SQLite database.");
            if (_registry.Find(schema.Name) is { } existing)
            {
                if (!existing.Definition.Equals(schema))
                {
                    ReconcileTable(existing, schema, ct);
                }

                return;
            }

            Register(new TableSchema(schema), load: true, ct);
        }
        catch (Exception ex) when (ex is DuckDbException or SqliteException)
        {
            throw Public(ex, $"register table '{table}'");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    /// <summary>
    /// Registers a table with an explicit schema, as rhei's <c>register_table</c>: creates an empty
    /// mirror and the triggers; existing rows arrive with <see cref="InitialSyncAsync"/>.
    /// </summary>
    public async Task RegisterTableAsync(RheiTableSchema schema, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schema);
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            var table = new TableSchema(schema);
            if (_registry.Find(schema.Name) is { } existing)
            {
                if (existing.Definition.Equals(schema))
                {
                    return;
                }

                throw new InvalidOperationException($"Table '{schema.Name}' is already registered with a different schema ({existing.Definition}); use AddColumn/DropColumn for schema evolution.");
            }

            var actual = SqliteSchemaReader.Read(Sqlite, schema.Name) ?? throw new InvalidOperationException($"Table '{schema.Name}' does not exist in the SQLite database.");
            foreach (var column in schema.Columns)
            {
                if (!actual.Columns.Any(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new InvalidOperationException($"Column '{column.Name}' of the schema for '{schema.Name}' does not exist in SQLite.");
                }
            }

            Register(table, load: false, ct);
        }
        catch (Exception ex) when (ex is DuckDbException or SqliteException)
        {
            throw Public(ex, $"register table '{schema.Name}'");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    public async Task UnregisterTableAsync(string table, CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            if (_registry.Find(table) is { } schema)
            {
                Unregister(schema.Name);
            }
        }
        catch (Exception ex) when (ex is DuckDbException or SqliteException)
        {
            throw Public(ex, $"unregister table '{table}'");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    /// <summary>Reloads a table's mirror from SQLite (and lifts a quarantine); returns the rows loaded.</summary>
    public async Task<long> InitialSyncAsync(string table, IProgress<long>? progress, CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            var schema = _registry.Get(table);
            long rows = 0;
            LoadTables([schema], progress, ct, n => rows += n);
            return rows;
        }
        catch (Exception ex) when (ex is DuckDbException or SqliteException)
        {
            throw Public(ex, $"load table '{table}'");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    public async Task<long> InitialSyncAllAsync(IProgress<long>? progress, CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            long rows = 0;
            LoadTables(_registry.Tables, progress, ct, n => rows += n);
            return rows;
        }
        catch (Exception ex) when (ex is DuckDbException or SqliteException)
        {
            throw Public(ex, $"load the mirror");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    /// <summary>Adds a column the caller has already added in SQLite (rhei's <c>add_column</c>).</summary>
    public async Task AddColumnAsync(string table, string column, string declaredType, CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            SqlIdentifier.Validate(column, "column name");
            var schema = _registry.Get(table);
            if (schema.ColumnIndex(column) >= 0)
            {
                throw new InvalidOperationException($"Column '{column}' already exists in table '{schema.Name}'.");
            }

            var actual = SqliteSchemaReader.Read(Sqlite, schema.Name);
            if (actual is null || !actual.Columns.Any(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"Column '{column}' does not exist in SQLite table '{schema.Name}'; run ALTER TABLE ... ADD COLUMN first.");
            }

            var added = new RheiColumn(column, declaredType);
            var next = new TableSchema(new RheiTableSchema(schema.Name, schema.Columns.Append(added), schema.Definition.PrimaryKey));
            ChangeColumns(schema, next, [added], [], ct);
        }
        catch (Exception ex) when (ex is DuckDbException or SqliteException)
        {
            throw Public(ex, $"add column '{column}' to '{table}'");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    /// <summary>Drops a column in SQLite, the registry and the mirror (rhei's <c>drop_column</c>); refuses key columns.</summary>
    public async Task DropColumnAsync(string table, string column, CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            var schema = _registry.Get(table);
            if (schema.Definition.PrimaryKey.Contains(column, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Cannot drop primary key column '{column}' from table '{schema.Name}'.");
            }

            var index = schema.ColumnIndex(column);
            if (index < 0)
            {
                throw new InvalidOperationException($"Column '{column}' is not a replicated column of table '{schema.Name}'.");
            }

            var next = new TableSchema(new RheiTableSchema(schema.Name, schema.Columns.Where((_, i) => i != index), schema.Definition.PrimaryKey));

            // Triggers, the column and the registry change in one SQLite transaction: SQLite DDL is
            // transactional, so no write goes uncaptured and a failure leaves everything as it was.
            using (var transaction = Sqlite.BeginTransaction())
            {
                CdcTriggers.Drop(Sqlite, transaction, schema.Name);
                using (var command = Sqlite.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = $"ALTER TABLE {schema.QuotedName} DROP COLUMN {schema.QuotedColumns[index]}";
                    command.ExecuteNonQuery();
                }

                CdcTriggers.Create(Sqlite, transaction, next, _options.SyncMode);
                SchemaRegistry.Save(Sqlite, transaction, next.Definition);
                transaction.Commit();
            }

            CommitRegistry(next);
            AlterMirror(next, [], [schema.Columns[index].Name], ct);
        }
        catch (Exception ex) when (ex is DuckDbException or SqliteException)
        {
            throw Public(ex, $"drop column '{column}' from '{table}'");
        }
        finally
        {
            _pipeline.ExitLock();
        }
    }

    /// <summary>
    /// Takes the DDL lock for a user's schema change; disposing the result reconciles the registry
    /// and the mirror with what SQLite now holds and releases the lock.
    /// </summary>
    public async Task<IAsyncDisposable> BeginSchemaChangeAsync(string? table, CancellationToken ct)
    {
        await _pipeline.EnterLockAsync(ct).ConfigureAwait(false);
        try
        {
            // Temporal triggers name every column (full image), which blocks DROP COLUMN;
            // destructive triggers name only key columns, which SQLite never drops.
            if (table is not null && _options.SyncMode == RheiSyncMode.Temporal && _registry.Find(table) is { } schema)
            {
                CdcTriggers.Drop(Sqlite, null, schema.Name);
            }
        }
        catch
        {
            _pipeline.ExitLock();
            throw;
        }

        return new SchemaChangeScope(async () =>
        {
            try
            {
                await Task.Run(() => Reconcile(CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DuckDbException or SqliteException)
            {
                throw Public(ex, "bring the mirror in line with the schema change");
            }
            finally
            {
                _pipeline.ExitLock();
            }
        });
    }

    private void Register(TableSchema schema, bool load, CancellationToken ct)
    {
        using (var transaction = Sqlite.BeginTransaction())
        {
            CdcTriggers.Create(Sqlite, transaction, schema, _options.SyncMode);
            SchemaRegistry.Save(Sqlite, transaction, schema.Definition);
            transaction.Commit();
        }

        CommitRegistry(schema);
        if (load)
        {
            LoadTables([schema], null, ct);
            return;
        }

        // Triggers started capturing in the same commit: nothing before it belongs to this table.
        _mirror.Create(schema);
        _logger.TableRegistered(schema.Name);
    }

    private void Unregister(string table)
    {
        using (var transaction = Sqlite.BeginTransaction())
        {
            CdcTriggers.Drop(Sqlite, transaction, table);
            SchemaRegistry.Delete(Sqlite, transaction, table);
            transaction.Commit();
        }

        _registry.Remove(table);
        _registry.SetVersion(SchemaRegistry.ReadVersion(Sqlite));
        WriteRegistryFile();
        _mirror.Drop(table);
        _logger.TableUnregistered(table);
    }

    private void CommitRegistry(TableSchema schema)
    {
        _registry.Set(schema);
        _registry.SetVersion(SchemaRegistry.ReadVersion(Sqlite));
        WriteRegistryFile();
    }

    private void ChangeColumns(TableSchema current, TableSchema next, IReadOnlyList<RheiColumn> added, IReadOnlyList<string> dropped, CancellationToken ct)
    {
        using (var transaction = Sqlite.BeginTransaction())
        {
            CdcTriggers.Create(Sqlite, transaction, next, _options.SyncMode);
            SchemaRegistry.Save(Sqlite, transaction, next.Definition);
            transaction.Commit();
        }

        CommitRegistry(next);
        AlterMirror(next, added, dropped, ct);
        _ = current;
    }

    /// <summary>Alters the mirror's columns; reloads the table when an added column already holds values (a DEFAULT).</summary>
    private void AlterMirror(TableSchema next, IReadOnlyList<RheiColumn> added, IReadOnlyList<string> dropped, CancellationToken ct)
    {
        var state = _mirror.Find(next.Name);
        var needsLoad = state is null;
        if (!needsLoad)
        {
            foreach (var column in added)
            {
                using var command = Sqlite.CreateCommand();
                command.CommandText = $"SELECT 1 FROM {next.QuotedName} WHERE {SqlIdentifier.Quote(column.Name)} IS NOT NULL LIMIT 1";
                needsLoad |= command.ExecuteScalar() is not null;
            }
        }

        if (needsLoad)
        {
            LoadTables([next], null, ct);
            return;
        }

        _mirror.Alter(next, added, dropped);
    }

    /// <summary>Brings registry, triggers and mirror in line with SQLite after a user's DDL.</summary>
    private void Reconcile(CancellationToken ct)
    {
        var present = new HashSet<string>(SqliteSchemaReader.ListTables(Sqlite), StringComparer.OrdinalIgnoreCase);
        foreach (var schema in _registry.Tables)
        {
            if (!present.Contains(schema.Name))
            {
                Unregister(schema.Name);
                continue;
            }

            var actual = SqliteSchemaReader.Read(Sqlite, schema.Name);
            if (actual is null)
            {
                Unregister(schema.Name);
            }
            else if (!actual.Equals(schema.Definition) && IsEligible(actual))
            {
                ReconcileTable(schema, actual, ct);
            }
            else
            {
                _ = EnsureTriggers(schema);
            }
        }

        AutoRegister(ct);
    }

    private void ReconcileTable(TableSchema current, RheiTableSchema actual, CancellationToken ct)
    {
        if (actual.PrimaryKey.Count == 0 || !actual.PrimaryKey.SequenceEqual(current.Definition.PrimaryKey, StringComparer.OrdinalIgnoreCase))
        {
            Unregister(current.Name);
            if (actual.PrimaryKey.Count > 0)
            {
                Register(new TableSchema(actual), load: true, ct);
            }

            return;
        }

        var next = new TableSchema(actual);
        var added = actual.Columns.Where(c => current.ColumnIndex(c.Name) < 0).ToArray();
        var dropped = current.Columns.Where(c => next.ColumnIndex(c.Name) < 0).Select(c => c.Name).ToArray();
        var retyped = actual.Columns.Any(c => current.ColumnIndex(c.Name) is var i && i >= 0 && current.MirrorTypes[i] != SqliteTypeMapper.Map(c.DeclaredType));
        if (retyped)
        {
            Unregister(current.Name);
            Register(next, load: true, ct);
            return;
        }

        ChangeColumns(current, next, added, dropped, ct);
    }

    /// <summary>Recreates the table's triggers when they are missing or not Rhei.Data's; true when it had to.</summary>
    private bool EnsureTriggers(TableSchema schema)
    {
        // Triggers of an earlier Rhei.Data capture the same events: replaced without a reload.
        if (CdcTriggers.AreIntact(Sqlite, schema, _options.SyncMode) || CdcTriggers.UpgradeEarlier(Sqlite, schema, _options.SyncMode))
        {
            return false;
        }

        using var transaction = Sqlite.BeginTransaction();
        CdcTriggers.Create(Sqlite, transaction, schema, _options.SyncMode);
        transaction.Commit();
        return true;
    }

    /// <summary>Registers (and loads) every eligible SQLite table not registered yet.</summary>
    private void AutoRegister(CancellationToken ct)
    {
        if (_options.ReplicatedTables is { Count: 0 })
        {
            return;
        }

        foreach (var name in SqliteSchemaReader.ListTables(Sqlite))
        {
            if (_registry.Find(name) is not null)
            {
                continue;
            }

            if (_options.ReplicatedTables is { } wanted && !wanted.Contains(name))
            {
                continue;
            }

            var schema = SqliteSchemaReader.Read(Sqlite, name);
            if (schema is null || !IsEligible(schema))
            {
                continue;
            }

            try
            {
                Register(new TableSchema(schema), load: true, ct);
            }
            catch (ArgumentException ex)
            {
                _logger.TableNotReplicable(ex, name);
            }
        }
    }

    private static bool IsEligible(RheiTableSchema schema)
        => schema.PrimaryKey.Count is > 0 and <= TableSchema.MaxKeyColumns && !SqlIdentifier.IsSystemTable(schema.Name);
}
