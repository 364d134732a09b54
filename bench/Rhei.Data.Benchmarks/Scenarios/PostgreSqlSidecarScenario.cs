using System.Diagnostics;
using DuckDB.NET.Data;
using Npgsql;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Testing;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Sidecar mode with a PostgreSQL source, on a throwaway local server started exactly as the tests start theirs
/// (<see cref="PostgreSqlServer"/>; skipped with the reason printed when PostgreSQL is not installed). Per size: the
/// logical-replication initial copy against a hand-written Npgsql binary COPY → DuckDB.NET.Data appender copy of the
/// same table (interleaved, best of N, ratio); the timestamp initial load and change apply; the logical-replication
/// stream apply (every row updated in one transaction, and in ten, timed from the commit until the mirror has them);
/// and, once, the extra latency of a Strong read over the same read with Freshness=Eventual, nothing pending
/// (interleaved, p50 and p99). The SQLite-source figures of the same run stand beside as the baseline.
/// </summary>
internal static class PostgreSqlSidecarScenario
{
    private const string Table = "orders";

    public static async Task RunAsync(ScenarioContext context, string group, IReadOnlyDictionary<(string Scenario, long Rows), double> sqliteFigures, bool loadsOnly = false, bool applyOnly = false)
    {
        if (PostgreSqlServer.UnavailableReason() is { } reason)
        {
            Console.WriteLine($"  PostgreSQL scenarios skipped: {reason}");
            return;
        }

        await using var server = await PostgreSqlServer.StartAsync().ConfigureAwait(false);
        using var directory = context.NewDirectory("sidecar-pg");
        var run = new Run(context, group, server, directory, sqliteFigures);
        foreach (var rows in context.Sizes([100_000], [100_000, 1_000_000]))
        {
            await run.SizeAsync(rows, loadsOnly, applyOnly).ConfigureAwait(false);
        }

        if (loadsOnly || applyOnly)
        {
            return;
        }

        await run.StrongReadAsync(context.Quick ? 100 : 300).ConfigureAwait(false);
    }

    private sealed class Run(ScenarioContext context, string group, PostgreSqlServer server, BenchDirectory directory, IReadOnlyDictionary<(string Scenario, long Rows), double> sqliteFigures)
    {
        private int _engines;

        public async Task SizeAsync(long rows, bool loadsOnly, bool applyOnly)
        {
            var database = await server.CreateDatabaseAsync("bench_sidecar").ConfigureAwait(false);
            await server.ExecuteAsync(database, $"""
                CREATE TABLE {Table} (id bigint PRIMARY KEY, customer integer NOT NULL, amount double precision NOT NULL, note text NOT NULL, updated_at timestamptz NOT NULL);
                CREATE INDEX orders_updated ON {Table} (updated_at);
                INSERT INTO {Table} SELECT g, g % 1000, g * 0.5, 'order ' || g, timestamptz '2026-01-01' + g * interval '1 ms' FROM generate_series(1, {rows}) g;
                """).ConfigureAwait(false);
            await server.ExecuteAsync(database, $"VACUUM ANALYZE {Table}").ConfigureAwait(false);
            var source = server.ReplicationConnectionString(database);
            var cpu = await ServerCpu.FindAsync(source).ConfigureAwait(false);

            // Initial copy and timestamp load, each interleaved with the hand-written copy, best of N; CPU seconds of
            // this process and of the server (the postmaster and its backends) in the best run.
            var repeats = rows >= 1_000_000 ? 2 : 3;
            foreach (var capture in applyOnly ? [] : new[] { "LogicalReplication", "Timestamp" })
            {
                double bestBaseline = double.MaxValue, bestCopy = double.MaxValue, ourCpu = 0, theirCpu = 0;
                for (var i = 0; i < repeats; i++)
                {
                    bestBaseline = Math.Min(bestBaseline, (await Timing.TimeAsync(() => HandWrittenCopyAsync(source, rows)).ConfigureAwait(false)).TotalSeconds);
                    var name = NextName();
                    var ourBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var serverBefore = cpu?.Sample().Server ?? 0;
                    var watch = Stopwatch.StartNew();
                    double seconds, ours;
                    await using (var dataSource = RheiDataSource.Create(ConnectionString(source, capture, name, syncInterval: 0)))
                    {
                        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
                        seconds = watch.Elapsed.TotalSeconds;
                        ours = (Process.GetCurrentProcess().TotalProcessorTime - ourBefore).TotalSeconds;
                        await CheckCountAsync(connection, rows).ConfigureAwait(false);
                    }

                    // The copy's backends have exited with the data source: once reaped, their CPU is the postmaster's.
                    await Task.Delay(500).ConfigureAwait(false);
                    if (seconds < bestCopy)
                    {
                        (bestCopy, ourCpu, theirCpu) = (seconds, ours, (cpu?.Sample().Server ?? 0) - serverBefore);
                    }

                    await DropSlotAsync(database, name).ConfigureAwait(false);
                }

                var scenario = capture == "Timestamp" ? "timestamp initial load (PostgreSQL source)" : "logical replication initial copy (PostgreSQL source)";
                Add(scenario, rows, "rows/s", rows / bestCopy, Target.Min(1_000_000),
                    $"engine start + {(capture == "Timestamp" ? "" : "slot + ")}copy, best of {repeats}: {bestCopy:0.00} s, CPU ours {ourCpu:0.00} s / server {theirCpu:0.00} s; hand-written Npgsql binary COPY → DuckDB.NET appender {rows / bestBaseline:N0} rows/s ({bestBaseline:0.00} s), ratio {bestBaseline / bestCopy:0.00}; {Load()}",
                    "timestamp initial load (SQLite source)");
            }

            if (loadsOnly)
            {
                await PostgreSqlCopyProfile.RunAsync(context, group, source, Table, rows, cpu).ConfigureAwait(false);
                return;
            }

            // Logical replication stream: every row in one transaction, then in ten.
            var streamName = NextName();
            await using (var dataSource = RheiDataSource.Create(ConnectionString(source, "LogicalReplication", streamName, syncInterval: 0)))
            {
                await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
                var (one, oneCpu) = await StreamAsync(connection, source, rows, 1, cpu).ConfigureAwait(false);
                Add("logical replication stream apply, 1 transaction (PostgreSQL source)", rows, "events/s", rows / one, Target.Min(100_000),
                    $"{rows:N0} updates in one transaction, commit → mirror {one:0.00} s, {oneCpu}; {Load()}", "timestamp change apply (SQLite source)");
                var (ten, tenCpu) = await StreamAsync(connection, source, rows, 10, cpu).ConfigureAwait(false);
                Add("logical replication stream apply, 10 transactions (PostgreSQL source)", rows, "events/s", rows / ten, Target.Min(100_000),
                    $"{rows:N0} updates in ten transactions, last commit → mirror {ten:0.00} s, {tenCpu}; {Load()}", "timestamp change apply (SQLite source)");
            }

            await DropSlotAsync(database, streamName).ConfigureAwait(false);

            // Timestamp capture: every row updated at the source and polled by the compound watermark.
            // The stream runs left two dead versions of every row: vacuumed first, so the copy reads one heap's worth.
            await server.ExecuteAsync(database, $"VACUUM ANALYZE {Table}").ConfigureAwait(false);
            await using (var dataSource = RheiDataSource.Create(ConnectionString(source, "Timestamp", NextName(), syncInterval: 0)))
            {
                await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
                await CheckCountAsync(connection, rows).ConfigureAwait(false);

                await server.ExecuteAsync(database, $"UPDATE {Table} SET amount = amount + 1, updated_at = updated_at + interval '1 day'").ConfigureAwait(false);
                var before = cpu?.Sample();
                var watch = Stopwatch.StartNew();
                var result = await connection.SyncAsync().ConfigureAwait(false);
                var applySeconds = watch.Elapsed.TotalSeconds;
                var spent = cpu is null ? "CPU n/a" : ServerCpu.Describe(before!.Value, cpu.Sample());
                Add("timestamp change apply (PostgreSQL source)", rows, "events/s", result.EventsProcessed / applySeconds, Target.Min(100_000),
                    $"{result.EventsProcessed:N0} updates polled and applied in {applySeconds:0.00} s, {spent}; {Load()}", "timestamp change apply (SQLite source)");
            }
        }

        /// <summary>Strong read with nothing pending against the same read with Freshness=Eventual, interleaved; the background loop runs as configured by default.</summary>
        public async Task StrongReadAsync(int rounds)
        {
            var database = await server.CreateDatabaseAsync("bench_strong").ConfigureAwait(false);
            await server.ExecuteAsync(database, $"""
                CREATE TABLE {Table} (id bigint PRIMARY KEY, customer integer NOT NULL, amount double precision NOT NULL, note text NOT NULL, updated_at timestamptz NOT NULL);
                INSERT INTO {Table} SELECT g, g % 1000, g * 0.5, 'order ' || g, timestamptz '2026-01-01' + g * interval '1 ms' FROM generate_series(1, 10000) g;
                """).ConfigureAwait(false);
            var source = server.ReplicationConnectionString(database);
            string strongName = NextName(), eventualName = NextName();
            await using (var strong = RheiDataSource.Create(ConnectionString(source, "LogicalReplication", strongName, syncInterval: 100) + ";Freshness=Strong"))
            await using (var eventual = RheiDataSource.Create(ConnectionString(source, "LogicalReplication", eventualName, syncInterval: 100) + ";Freshness=Eventual"))
            {
                await using var strongConnection = await strong.OpenConnectionAsync().ConfigureAwait(false);
                await using var eventualConnection = await eventual.OpenConnectionAsync().ConfigureAwait(false);
                await CheckCountAsync(strongConnection, 10_000).ConfigureAwait(false);
                await CheckCountAsync(eventualConnection, 10_000).ConfigureAwait(false);
                var strongMs = new List<double>(rounds);
                var eventualMs = new List<double>(rounds);
                for (var i = -10; i < rounds; i++)
                {
                    var e = await ReadMsAsync(eventualConnection).ConfigureAwait(false);
                    var s = await ReadMsAsync(strongConnection).ConfigureAwait(false);
                    if (i >= 0)
                    {
                        eventualMs.Add(e);
                        strongMs.Add(s);
                    }
                }

                var extraP50 = Timing.Percentile(strongMs, 0.5) - Timing.Percentile(eventualMs, 0.5);
                var extraP99 = Timing.Percentile(strongMs, 0.99) - Timing.Percentile(eventualMs, 0.99);
                context.Report.Add(new Measurement(group, "Strong read extra latency p50, nothing pending (PostgreSQL source)", 10_000, "ms", extraP50,
                    Target: Target.Max(5), Note: $"Strong p50 {Timing.Percentile(strongMs, 0.5):0.000} ms vs Eventual {Timing.Percentile(eventualMs, 0.5):0.000} ms, {rounds} interleaved reads; {Load()}"));
                context.Report.Add(new Measurement(group, "Strong read extra latency p99, nothing pending (PostgreSQL source)", 10_000, "ms", extraP99,
                    Note: $"Strong p99 {Timing.Percentile(strongMs, 0.99):0.000} ms vs Eventual {Timing.Percentile(eventualMs, 0.99):0.000} ms; {Load()}"));
            }

            await DropSlotAsync(database, strongName).ConfigureAwait(false);
            await DropSlotAsync(database, eventualName).ConfigureAwait(false);
        }

        private void Add(string name, long rows, string unit, double value, Target target, string note, string sqliteScenario)
        {
            double? baseline = sqliteFigures.TryGetValue((sqliteScenario, rows), out var b) ? b : null;
            context.Report.Add(new Measurement(group, name, rows, unit, value, baseline, baseline is null ? null : "SQLite source, same run", Target: target, Note: note));
        }

        private string NextName() => $"bench_{Environment.ProcessId}_{Interlocked.Increment(ref _engines)}";

        private string ConnectionString(string source, string capture, string name, int syncInterval)
            => $"Data Source={directory.File(name + ".db")};Sidecar=PostgreSql;Sidecar Capture={capture};Sidecar Replication Name={name};"
                + $"Sidecar Source=\"{source}\";Sync Interval={syncInterval};Sidecar Poll Batch Size=100000";

        /// <summary>Updates every row in <paramref name="transactions"/> transactions; seconds from the last commit until the mirror applied them all, and the CPU split of that time.</summary>
        private static async Task<(double Seconds, string Cpu)> StreamAsync(RheiConnection connection, string source, long rows, int transactions, ServerCpu? cpu)
        {
            await using (var writer = new NpgsqlConnection(source))
            {
                await writer.OpenAsync().ConfigureAwait(false);
                for (var t = 0; t < transactions; t++)
                {
                    await using var command = writer.CreateCommand();
                    command.CommandText = $"UPDATE {Table} SET amount = amount + 1 WHERE id % {transactions} = {t}";
                    command.CommandTimeout = 600;
                    await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                }
            }

            var before = cpu?.Sample();
            var watch = Stopwatch.StartNew();
            long events = 0;
            while (events < rows)
            {
                events += (await connection.SyncAsync().ConfigureAwait(false)).EventsProcessed;
                if (watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException($"the mirror applied {events:N0} of {rows:N0} streamed updates in 10 minutes");
                }
            }

            var seconds = watch.Elapsed.TotalSeconds;
            return (seconds, cpu is null ? "CPU n/a" : ServerCpu.Describe(before!.Value, cpu.Sample()));
        }

        private static async Task<double> ReadMsAsync(RheiConnection connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT sum(amount) FROM {Table}";
            var watch = Stopwatch.StartNew();
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await reader.ReadAsync().ConfigureAwait(false);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (reader.Route != RheiRoute.Olap)
            {
                throw new InvalidOperationException($"the read went to {reader.Route}, not the mirror");
            }

            return elapsed;
        }

        private static async Task CheckCountAsync(RheiConnection connection, long rows)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {Table}";
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await reader.ReadAsync().ConfigureAwait(false);
            if (reader.Route != RheiRoute.Olap || Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) != rows)
            {
                throw new InvalidOperationException($"the mirror ({reader.Route}) holds {reader.GetValue(0)} rows, not {rows}");
            }
        }

        /// <summary>The baseline: what a .NET user writes by hand, Npgsql's binary COPY into DuckDB.NET's appender (in memory).</summary>
        private static async Task HandWrittenCopyAsync(string source, long rows)
        {
            await using var duck = new DuckDBConnection("DataSource=:memory:");
            await duck.OpenAsync().ConfigureAwait(false);
            await using (var create = duck.CreateCommand())
            {
                create.CommandText = $"CREATE TABLE {Table} (id BIGINT PRIMARY KEY, customer INTEGER, amount DOUBLE, note VARCHAR, updated_at TIMESTAMPTZ)";
                await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await using var pg = new NpgsqlConnection(source);
            await pg.OpenAsync().ConfigureAwait(false);
            long copied = 0;
            using (var appender = duck.CreateAppender(Table))
            {
                await using var exporter = await pg.BeginBinaryExportAsync($"COPY (SELECT id, customer, amount, note, updated_at FROM {Table}) TO STDOUT (FORMAT BINARY)").ConfigureAwait(false);
                while (await exporter.StartRowAsync().ConfigureAwait(false) >= 0)
                {
                    appender.CreateRow()
                        .AppendValue(await exporter.ReadAsync<long>().ConfigureAwait(false))
                        .AppendValue(await exporter.ReadAsync<int>().ConfigureAwait(false))
                        .AppendValue(await exporter.ReadAsync<double>().ConfigureAwait(false))
                        .AppendValue(await exporter.ReadAsync<string>().ConfigureAwait(false))
                        .AppendValue(new DateTimeOffset(await exporter.ReadAsync<DateTime>().ConfigureAwait(false)))
                        .EndRow();
                    copied++;
                }
            }

            if (copied != rows)
            {
                throw new InvalidOperationException($"the hand-written copy read {copied} rows, not {rows}");
            }
        }

        private async Task DropSlotAsync(string database, string name)
            => await server.ScalarAsSuperUserAsync(database, $"SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = '{name}' AND NOT active").ConfigureAwait(false);

        private static string Load() => SidecarScenario.LoadAverage();
    }
}
