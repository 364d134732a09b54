using System.Diagnostics;
using Npgsql;
using Rhei.Data.Benchmarks.Harness;
using Rhei.Data.Sidecar;
using Rhei.Data.Sidecar.PostgreSql;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// Where the PostgreSQL copy's CPU goes, one connection, the whole table, no mirror: Npgsql's per-value typed reads
/// (what the chunk path did before: <c>StartRowAsync</c> and a <c>ReadAsync&lt;T&gt;</c> per value, with the copy's
/// token); the raw copy stream framed into tuples only; and the same decoded into DuckDB data chunks (no append).
/// Each stage reports wall time, this process's CPU and the server's (its backend). The append and the engine start
/// are the rest of the load figure.
/// </summary>
internal static class PostgreSqlCopyProfile
{
    public static async Task RunAsync(ScenarioContext context, string group, string source, string table, long rows, ServerCpu? serverCpu)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync().ConfigureAwait(false);
        var settings = new SidecarSettings(source, [table], "updated_at", "created_at", SidecarDeleteDetection.Disabled, null, 1000);
        var info = (await PostgreSqlCatalog.DescribeAsync(connection, settings, new PostgreSqlQuarantine(), CancellationToken.None).ConfigureAwait(false)).Single();
        var sql = $"COPY (SELECT {info.SelectList} FROM {info.QuotedName}) TO STDOUT (FORMAT BINARY)";
        using var token = new CancellationTokenSource();

        await StageAsync(context, group, "copy profile: Npgsql ReadAsync<T> per value (before)", rows, serverCpu, async () =>
        {
            long read = 0;
            await using var exporter = await connection.BeginBinaryExportAsync(sql, token.Token).ConfigureAwait(false);
            while (await exporter.StartRowAsync(token.Token).ConfigureAwait(false) >= 0)
            {
                await exporter.ReadAsync<long>(token.Token).ConfigureAwait(false);
                await exporter.ReadAsync<int>(token.Token).ConfigureAwait(false);
                await exporter.ReadAsync<double>(token.Token).ConfigureAwait(false);
                await exporter.ReadAsync<string>(token.Token).ConfigureAwait(false);
                await exporter.ReadAsync<DateTime>(token.Token).ConfigureAwait(false);
                read++;
            }

            return read;
        }).ConfigureAwait(false);

        await StageAsync(context, group, "copy profile: raw copy stream, tuples framed only", rows, serverCpu, async () =>
        {
            long read = 0;
            await using var reader = await PostgreSqlCopyStreamReader.StartAsync(connection, sql, info.Types.Length, token.Token).ConfigureAwait(false);
            while (true)
            {
                read += Frame(reader);
                if (reader.Finished || !await reader.FillAsync(token.Token).ConfigureAwait(false))
                {
                    break;
                }
            }

            await reader.DrainAsync(token.Token).ConfigureAwait(false);
            return read;
        }).ConfigureAwait(false);

        await StageAsync(context, group, "copy profile: raw copy stream decoded into DuckDB chunks (no append)", rows, serverCpu, async () =>
        {
            long read = 0;
            using var chunk = new PostgreSqlCopyChunk(info.Types);
            await using var reader = await PostgreSqlCopyStreamReader.StartAsync(connection, sql, info.Types.Length, token.Token).ConfigureAwait(false);
            while (true)
            {
                read += Decode(reader, chunk);
                if (reader.Finished || !await reader.FillAsync(token.Token).ConfigureAwait(false))
                {
                    break;
                }
            }

            await reader.DrainAsync(token.Token).ConfigureAwait(false);
            return read;
        }).ConfigureAwait(false);
    }

    private static int Frame(PostgreSqlCopyStreamReader reader)
    {
        var count = 0;
        while (reader.TryReadTuple(out _))
        {
            count++;
        }

        return count;
    }

    private static int Decode(PostgreSqlCopyStreamReader reader, PostgreSqlCopyChunk chunk)
    {
        var count = 0;
        while (reader.TryReadTuple(out var fields))
        {
            chunk.AddRow(fields);
            count++;
            if (chunk.IsFull)
            {
                chunk.Reset();
            }
        }

        return count;
    }

    private static async Task StageAsync(ScenarioContext context, string group, string name, long rows, ServerCpu? serverCpu, Func<Task<long>> stage)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var server = (serverCpu?.Sample().Server ?? 0);
        var watch = Stopwatch.StartNew();
        var read = await stage().ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;
        var ours = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var theirs = (serverCpu?.Sample().Server ?? 0) - server;
        if (read != rows)
        {
            throw new InvalidOperationException($"{name} read {read} rows, not {rows}");
        }

        context.Report.Add(new Measurement(group, name, rows, "rows/s of our CPU", rows / Math.Max(ours, 1e-3),
            Note: $"wall {seconds:0.00} s, CPU ours {ours:0.00} s / server {theirs:0.00} s; {SidecarScenario.LoadAverage()}"));
    }
}
