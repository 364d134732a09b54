using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;
using Rhei.Data.Benchmarks.Scenarios;

namespace Rhei.Data.Benchmarks.Micro;

/// <summary>
/// One UPDATE by key inside an open transaction, raw against Rhei with and without capture: the per-command
/// cost of the provider (time and allocations), without the commit.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class WriteBenchmarks
{
    private const string Update = "UPDATE events SET amount = amount + 1 WHERE id = @id";
    private const int Rows = 10_000;

    private readonly List<IDisposable> _owned = [];
    private string _directory = null!;
    private DbCommand _raw = null!;
    private DbCommand _rheiCaptured = null!;
    private DbCommand _rheiUncaptured = null!;
    private long _key;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rhei-micro-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _raw = Open(Connections.OpenRawSqlite(Path.Combine(_directory, "raw.db")));
        _rheiCaptured = Open(Connections.OpenRhei(Path.Combine(_directory, "captured.db")));
        _rheiUncaptured = Open(Connections.OpenRhei(Path.Combine(_directory, "uncaptured.db"), "Sync Interval=0;Replicate=None"));
    }

    private DbCommand Open(DbConnection connection)
    {
        _owned.Add(connection);
        Connections.Execute(connection, WriteWorkload.EventsDdl);
        WriteWorkload.Insert(connection, 1, Rows, batched: true);
        var transaction = connection.BeginTransaction();
        _owned.Add(transaction);
        var command = connection.CreateCommand();
        _owned.Add(command);
        command.CommandText = Update;
        command.Transaction = transaction;
        Connections.AddParameter(command, "@id");
        return command;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        SqliteConnection.ClearAllPools();
        RheiConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int RawSqlite() => Run(_raw);

    [Benchmark]
    public int RheiCaptured() => Run(_rheiCaptured);

    [Benchmark]
    public int RheiUncaptured() => Run(_rheiUncaptured);

    private int Run(DbCommand command)
    {
        _key = _key % Rows + 1;
        command.Parameters[0].Value = _key;
        return command.ExecuteNonQuery();
    }
}
