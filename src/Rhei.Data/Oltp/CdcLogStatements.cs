using Microsoft.Data.Sqlite;
using Rhei.Data.Schema;
using SQLitePCL;

namespace Rhei.Data.Oltp;

/// <summary>
/// The statements <see cref="CdcLogReader"/> runs, kept prepared for the life of one reader connection. Preparing
/// them was most of the log read of a small batch (a one-row change after a write is what a Strong read waits for):
/// parsing and planning each statement cost more than running it. A statement is reset after each use and rebound on
/// the next, so it never holds a read open past the caller's transaction.
/// <para>
/// SQLite re-prepares a statement itself when the schema changed (a table dropped and re-created, an index added).
/// What it cannot know is that the SQL text was built from a table's column list: the statements that name a table's
/// columns are kept with the <see cref="TableSchema"/> they were built from and built again when the table's schema
/// is another (ALTER TABLE, a table re-created with other columns) and the text differs. All of them go when the
/// registry version moves (a table added or removed, a schema change recorded), when the connection's handle is
/// another, and after any SQLite error (the log or a table may be gone; the pipeline repairs it and they are prepared
/// again). Not thread-safe: the reader's owner serializes reads.
/// </para>
/// </summary>
internal sealed class CdcLogStatements : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, Built> _joined = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Built> _rows = new(StringComparer.OrdinalIgnoreCase);
    private sqlite3? _db;
    private long _registryVersion;
    private SqliteRowReader? _begin;
    private SqliteRowReader? _commit;
    private SqliteRowReader? _rollback;
    private SqliteRowReader? _header;
    private SqliteRowReader? _firstTable;
    private SqliteRowReader? _log;
    private SqliteRowReader? _highWater;
    private SqliteRowReader? _databaseId;
    private bool _disposed;

    /// <param name="connection">The reader connection; the statements are disposed before it is.</param>
    public CdcLogStatements(SqliteConnection connection) => _connection = connection;

    /// <summary>How many statements were prepared since this was made: what the cache saved shows in tests.</summary>
    internal int Prepared { get; private set; }

    /// <summary>
    /// The batch's header in one statement: the registry version, the log's high-water mark and the sequence pruned
    /// through, as <see cref="SchemaRegistry.ReadVersion"/>, <see cref="ReplicationTables.MaxSequence"/> and
    /// <see cref="ReplicationTables.ReadMeta"/> read them (0 for a missing or non-integer value).
    /// </summary>
    public (long RegistryVersion, long HighWater, long PrunedThrough) ReadHeader()
    {
        CheckHandle();
        var header = _header ??= Prepare(
            "SELECT (SELECT value FROM " + ReplicationTables.Meta + " WHERE key = 'registry_version'), ("
            + ReplicationTables.MaxSequenceSql(_connection) + "), (SELECT value FROM " + ReplicationTables.Meta
            + " WHERE key = '" + CdcLogPruner.PrunedThroughKey + "')");
        try
        {
            return header.Read() ? (IntegerOrZero(header, 0), IntegerOrZero(header, 1), IntegerOrZero(header, 2)) : (0, 0, 0);
        }
        finally
        {
            header.Reset();
        }
    }

    /// <summary>
    /// The log's high-water mark, as <see cref="ReplicationTables.MaxSequence"/> reads it: a cycle asks before its first
    /// batch and again in its continuity check, a few µs each prepared against tens with a new command.
    /// </summary>
    public long ReadHighWater() => Scalar(ref _highWater, () => ReplicationTables.MaxSequenceSql(_connection));

    /// <summary>The stored identity of the database, as <see cref="ReplicationTables.ReadMeta"/> reads it (0 when missing).</summary>
    public long ReadDatabaseId()
        => Scalar(ref _databaseId, () => "SELECT value FROM " + ReplicationTables.Meta + " WHERE key = '" + ReplicationTables.DatabaseIdKey + "'");

    /// <summary>Opens the read's deferred transaction: it takes its snapshot at the first read, the header's.</summary>
    public void Begin()
    {
        CheckHandle();
        Run(_begin ??= Prepare("BEGIN DEFERRED"));
    }

    public void Commit() => Run(_commit ??= Prepare("COMMIT"));

    /// <summary>Ends a read that failed; nothing to do when SQLite already ended its transaction (some errors do).</summary>
    public void Rollback()
    {
        if (_connection.Handle is not { } db || raw.sqlite3_get_autocommit(db) != 0)
        {
            return;
        }

        try
        {
            Run(_rollback ??= Prepare("ROLLBACK"));
        }
        catch (SqliteException)
        {
            // The read's own error is the one to report; a read transaction left open ends when the connection closes.
        }
    }

    /// <summary>
    /// Drops the statements built from table schemas when the registry version is not the one they were built under:
    /// a table added to or removed from replication, or a schema change recorded.
    /// </summary>
    public void UseRegistryVersion(long version)
    {
        if (version != _registryVersion)
        {
            DisposeBuilt();
            _registryVersion = version;
        }
    }

    /// <summary>The first event's table after ?1; reset before it is handed out.</summary>
    public SqliteRowReader FirstTable(string sql) => _firstTable ??= Prepare(sql);

    /// <summary>The log read without a joined table.</summary>
    public SqliteRowReader Log(string sql) => _log ??= Prepare(sql);

    /// <summary>The log read joined to <paramref name="schema"/>'s rows, built by <paramref name="build"/> when the schema is another.</summary>
    public SqliteRowReader Joined(TableSchema schema, Func<TableSchema, string> build) => Get(_joined, schema, build);

    /// <summary>The read of <paramref name="schema"/>'s current rows for the batch's keys.</summary>
    public SqliteRowReader Rows(TableSchema schema, Func<TableSchema, string> build) => Get(_rows, schema, build);

    /// <summary>After a SQLite error: every statement is prepared again on next use.</summary>
    public void Clear()
    {
        Drop(ref _begin);
        Drop(ref _commit);
        Drop(ref _rollback);
        Drop(ref _header);
        Drop(ref _firstTable);
        Drop(ref _log);
        Drop(ref _highWater);
        Drop(ref _databaseId);
        DisposeBuilt();

        static void Drop(ref SqliteRowReader? statement)
        {
            statement?.Dispose();
            statement = null;
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Clear();
        }
    }

    private SqliteRowReader Get(Dictionary<string, Built> cache, TableSchema schema, Func<TableSchema, string> build)
    {
        CheckHandle();
        if (cache.TryGetValue(schema.Name, out var built))
        {
            if (ReferenceEquals(built.Schema, schema))
            {
                return built.Reader;
            }

            // Another schema object for the table: the statement stands while the text it would be built from is the same.
            var sql = build(schema);
            if (sql == built.Sql)
            {
                cache[schema.Name] = built with { Schema = schema };
                return built.Reader;
            }

            cache.Remove(schema.Name);
            built.Reader.Dispose();
            var replaced = Prepare(sql);
            cache.Add(schema.Name, new Built(schema, sql, replaced));
            return replaced;
        }

        var text = build(schema);
        var reader = Prepare(text);
        cache.Add(schema.Name, new Built(schema, text, reader));
        return reader;
    }

    private SqliteRowReader Prepare(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckHandle();
        var reader = new SqliteRowReader(_connection, sql);
        Prepared++;
        return reader;
    }

    // A statement belongs to the native connection it was prepared on: a reopened connection has another.
    private void CheckHandle()
    {
        var db = _connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        if (!ReferenceEquals(db, _db))
        {
            Clear();
            _db = db;
        }
    }

    private void DisposeBuilt()
    {
        foreach (var built in _joined.Values)
        {
            built.Reader.Dispose();
        }

        foreach (var built in _rows.Values)
        {
            built.Reader.Dispose();
        }

        _joined.Clear();
        _rows.Clear();
    }

    // One integer (0 for none or another type); any SQLite error drops every statement (the log may be gone: the
    // pipeline repairs it) and is the caller's to handle, as with the log read.
    private long Scalar(ref SqliteRowReader? statement, Func<string> sql)
    {
        CheckHandle();
        var reader = statement ??= Prepare(sql());
        try
        {
            return reader.Read() ? IntegerOrZero(reader, 0) : 0;
        }
        catch (SqliteException)
        {
            Clear();
            throw;
        }
        finally
        {
            // Cleared above on an error; a reset statement holds no read open.
            if (statement is not null)
            {
                reader.Reset();
            }
        }
    }

    private static void Run(SqliteRowReader statement)
    {
        try
        {
            statement.Read();
        }
        finally
        {
            statement.Reset();
        }
    }

    private static long IntegerOrZero(SqliteRowReader reader, int column)
        => reader.StorageClass(column) == raw.SQLITE_INTEGER ? reader.GetInt64(column) : 0;

    private sealed record Built(TableSchema Schema, string Sql, SqliteRowReader Reader);
}
