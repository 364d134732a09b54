using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Sync;
using Rhei.Data.Tests.Sync;

namespace Rhei.Data.Tests.Bridge;

/// <summary>A <see cref="ReplicationHarness"/> whose engines run with <c>Bridge Path</c> set to a directory of their own.</summary>
internal sealed class BridgeHarness : IAsyncDisposable
{
    private readonly List<(LocalReplicator Engine, DuckDbDatabase Duck)> _open = new();

    public BridgeHarness()
    {
        Sqlite = new ReplicationHarness();
        BridgePath = Path.Combine(Sqlite.Directory, "bridge");
        System.IO.Directory.CreateDirectory(BridgePath);
    }

    public ReplicationHarness Sqlite { get; }

    public string BridgePath { get; }

    public LocalReplicator Engine { get; private set; } = null!;

    public DuckDbDatabase Duck { get; private set; } = null!;

    public RheiOptions Options(RheiSyncMode mode = RheiSyncMode.Destructive, bool durable = false, int batchSize = 100)
        => Sqlite.Options(mode, ReplicationHarness.AllTables, durable, null, batchSize) with { BridgePath = BridgePath };

    public async Task<LocalReplicator> OpenEngineAsync(RheiSyncMode mode = RheiSyncMode.Destructive, bool durable = false, int batchSize = 100)
    {
        var options = Options(mode, durable, batchSize);
        var duck = DuckDbDatabase.Open(options.OlapPath);
        var engine = new LocalReplicator(options, duck, null);
        try
        {
            await engine.StartAsync(CancellationToken.None);
        }
        catch
        {
            await engine.DisposeAsync();
            duck.Dispose();
            throw;
        }

        _open.Add((engine, duck));
        (Engine, Duck) = (engine, duck);
        return engine;
    }

    public async Task CloseEngineAsync()
    {
        await Engine.DisposeAsync();
        Duck.Dispose();
        _open.RemoveAll(o => o.Engine == Engine);
    }

    public void Exec(string sql, params object?[] args) => Sqlite.Exec(sql, args);

    public long SqliteScalar(string sql) => Sqlite.SqliteScalar(sql);

    public List<object?[]> Olap(string sql)
    {
        using var session = Duck.Connect();
        using var reader = session.Query(sql);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetSqliteValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public long OlapCount(string table) => Convert.ToInt64(Olap($"SELECT count(*) FROM \"{table}\"")[0][0], System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var (engine, duck) in _open)
        {
            await engine.DisposeAsync();
            duck.Dispose();
        }

        SqliteConnection.ClearAllPools();
        await Sqlite.DisposeAsync();
    }
}
