using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Rhei.Data.Benchmarks.Data;

namespace Rhei.Data.Benchmarks.Micro;

/// <summary>A primary-key lookup through RheiCommand against raw Microsoft.Data.Sqlite on the same file.</summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class PointReadBenchmarks
{
    private const string Lookup = "SELECT id, account, amount, note FROM events WHERE id = @id";
    private const int Rows = 100_000;

    private string _directory = null!;
    private SqliteConnection _raw = null!;
    private RheiConnection _rhei = null!;
    private SqliteCommand _rawCommand = null!;
    private RheiCommand _rheiCommand = null!;
    private long _key;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rhei-micro-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "micro.db");
        _raw = Connections.OpenRawSqlite(file);
        Connections.Execute(_raw, Scenarios.WriteWorkload.EventsDdl);
        SqliteLoader.Insert(_raw, "events", 5, Scenarios.SyncScenario.EventRows(Rows));
        _rhei = Connections.OpenRhei(file);
        _rawCommand = new SqliteCommand(Lookup, _raw);
        Connections.AddParameter(_rawCommand, "@id");
        _rheiCommand = new RheiCommand(Lookup, _rhei);
        Connections.AddParameter(_rheiCommand, "@id");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawCommand.Dispose();
        _rheiCommand.Dispose();
        _rhei.Dispose();
        _raw.Dispose();
        SqliteConnection.ClearAllPools();
        RheiConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public object? RawSqlite() => Run(_rawCommand);

    [Benchmark]
    public object? Rhei() => Run(_rheiCommand);

    private object? Run(System.Data.Common.DbCommand command)
    {
        _key = _key % Rows + 1;
        command.Parameters[0].Value = _key;
        return command.ExecuteScalar();
    }
}
