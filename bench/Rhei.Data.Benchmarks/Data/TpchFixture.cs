using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Olap;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// One TPC-H-like data set seen four ways: a SQLite file read by raw Microsoft.Data.Sqlite, the same file
/// opened through RheiConnection (with its in-memory DuckDB mirror), an in-memory DuckDB database loaded with the
/// same rows by DuckDB.NET.Data's appender (the baseline a .NET user would pick), and one more loaded through
/// Rhei's own DuckDB binding (noted beside the baseline when the two differ).
/// </summary>
internal sealed class TpchFixture : IDisposable
{
    private readonly BenchDirectory _directory;

    private TpchFixture(BenchDirectory directory, TpchGenerator data)
    {
        _directory = directory;
        Data = data;
    }

    public TpchGenerator Data { get; }

    public SqliteConnection RawSqlite { get; private set; } = null!;

    public RheiConnection Rhei { get; private set; } = null!;

    /// <summary>DuckDB.NET.Data over an in-memory database holding the same rows.</summary>
    public DuckDBConnection DuckDbNet { get; private set; } = null!;

    public DuckDbDatabase RawDuckDb { get; private set; } = null!;

    public DuckDbSession RawDuckDbSession { get; private set; } = null!;

    /// <summary>Whether the mirror holds every row (false until replication has landed).</summary>
    public bool MirrorReady { get; private set; }

    public TimeSpan LoadTime { get; private set; }

    public static async Task<TpchFixture> CreateAsync(BenchDirectory directory, long lineItems, bool withDuckDb = true)
    {
        var fixture = new TpchFixture(directory, new TpchGenerator(lineItems));
        try
        {
            await fixture.LoadAsync(withDuckDb).ConfigureAwait(false);
            return fixture;
        }
        catch
        {
            fixture.Dispose();
            throw;
        }
    }

    private async Task LoadAsync(bool withDuckDb)
    {
        var file = _directory.File("tpch.db");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        RawSqlite = Connections.OpenRawSqlite(file);
        SqliteLoader.LoadTpch(RawSqlite, Data);
        if (withDuckDb)
        {
            DuckDbNet = DuckDbNetLoader.OpenInMemory();
            DuckDbNetLoader.LoadTpch(DuckDbNet, Data);
            RawDuckDb = DuckDbDatabase.Open(null);
            RawDuckDbSession = RawDuckDb.Connect();
            RawDuckDbSession.Execute(DuckDbLoader.SqliteSemantics);
            DuckDbLoader.LoadTpch(RawDuckDbSession, Data);
        }

        LoadTime = watch.Elapsed;
        Rhei = Connections.OpenRhei(file);
        MirrorReady = MirrorCount() == Data.LineItems;
        if (!MirrorReady)
        {
            try
            {
                await Rhei.InitialSyncAllAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Placeholder replication: nothing to copy with.
            }

            MirrorReady = MirrorCount() == Data.LineItems;
        }
    }

    /// <summary>Rows of lineitem in the mirror, read straight from the engine's DuckDB database; -1 if absent.</summary>
    public long MirrorCount()
    {
        var database = Rhei.Engine.DuckDb;
        if (database is null)
        {
            return -1;
        }

        try
        {
            using var session = database.Connect();
            using var reader = session.Query("SELECT COUNT(*) FROM lineitem");
            return reader.Read() ? reader.GetInt64(0) : -1;
        }
        catch (DuckDbException)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        Rhei?.Dispose();
        RawSqlite?.Dispose();
        DuckDbNet?.Dispose();
        RawDuckDbSession?.Dispose();
        RawDuckDb?.Dispose();
        _directory.Dispose();
    }
}
