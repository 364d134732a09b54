using System.Globalization;
using Rhei.Data.Olap;
using Rhei.Data.Schema;

namespace Rhei.Data.Export;

/// <summary>
/// Writes a table or a query to Parquet files through DuckDB's own <c>COPY … TO … (FORMAT PARQUET)</c>. DuckDB runs
/// locked down (no file access beyond the mirror and its temporary directory, configuration locked), so user SQL can
/// never write a file; this is the one sanctioned way out. DuckDB writes into a fresh folder inside the temporary
/// directory it is allowed to use, and the files are then moved to the caller's directory by .NET, so the lockdown
/// stays as it is and a failed export leaves nothing half-written in the target.
/// </summary>
internal static class ParquetExport
{
    public static async Task<long> RunAsync(
        RheiConnection connection, string tableOrQuery, string directory, string? partitionBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableOrQuery);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (partitionBy is not null)
        {
            SqlIdentifier.Validate(partitionBy, "partition column");
        }

        var engine = connection.Engine;
        if (engine.DuckDb is null || engine.Replication is null)
        {
            throw new InvalidOperationException("Export to Parquet needs the DuckDB mirror: open the connection with Olap=DuckDb.");
        }

        var text = IsTableName(tableOrQuery) ? "SELECT * FROM " + SqlIdentifier.Quote(tableOrQuery) : tableOrQuery;
        using var command = connection.CreateCommand();
        // A hint, not Route = Olap: an order would hand DuckDB text it answers differently (rowid, sqlite_* tables); a
        // hint passes the planner's "translated faithfully" test or stays on SQLite, and then the export is refused.
        command.CommandText = "/*+ rhei:olap */ " + text;
        command.Route = RheiRoute.Auto;
        var plan = command.Plan(connection, cancellationToken);
        if (plan is not { Target: RheiRoute.Olap, Control: null, OlapStatements: [{ Parameters.Count: 0 } statement] })
        {
            throw new RheiException(
                $"'{Shorten(tableOrQuery)}' cannot be exported: DuckDB does not answer it ({plan.Reason}). Export takes a replicated table or one query DuckDB answers, without parameters.",
                RheiException.ProviderEngineName);
        }

        try
        {
            if (connection.Options.Freshness == RheiFreshness.Strong)
            {
                await engine.Replication.EnsureFreshAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (connection.Options.MaxStaleness is { } bound)
            {
                await engine.Replication.EnsureFreshWithinAsync(bound, cancellationToken).ConfigureAwait(false);
            }

            var session = connection.GetOlapSession().Session;
            var staging = StagingDirectory(session);
            try
            {
                long rows;
                using (cancellationToken.UnsafeRegister(static s => ((DuckDbSession)s!).Interrupt(), session))
                {
                    rows = Copy(session, statement.Sql, staging, partitionBy);
                }

                MoveInto(staging, Path.GetFullPath(directory));
                return rows;
            }
            finally
            {
                TryDelete(staging);
            }
        }
        catch (DuckDbException ex)
        {
            throw new RheiException($"DuckDB could not export '{Shorten(tableOrQuery)}' to Parquet: {ex.Message} (engine: DuckDB)", RheiException.DuckDbEngineName, ex.DuckDbErrorType ?? 0, ex);
        }
        catch (IOException ex)
        {
            throw new RheiException($"The Parquet files could not be moved into '{directory}': {ex.Message}", RheiException.ProviderEngineName, 0, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new RheiException($"The Parquet files could not be written to '{directory}': {ex.Message}", RheiException.ProviderEngineName, 0, ex);
        }
    }

    private static long Copy(DuckDbSession session, string select, string staging, string? partitionBy)
    {
        var target = "'" + staging.Replace("'", "''", StringComparison.Ordinal) + "'";
        var options = partitionBy is null
            ? "FORMAT PARQUET"
            : "FORMAT PARQUET, PARTITION_BY (" + SqlIdentifier.Quote(partitionBy) + ")";
        // Without partitioning DuckDB writes one file at the path; with it, a folder of col=value/ folders.
        var path = partitionBy is null ? "'" + Path.Combine(staging, "data.parquet").Replace("'", "''", StringComparison.Ordinal) + "'" : target;
        using var result = session.Query($"COPY ({select}) TO {path} ({options})");
        return result.Read() && !result.IsDBNull(0) ? Convert.ToInt64(result.GetSqliteValue(0), CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>A new folder inside DuckDB's temporary directory, the only place the locked-down mirror may write besides its file.</summary>
    private static string StagingDirectory(DuckDbSession session)
    {
        string? temp;
        using (var result = session.Query("SELECT current_setting('temp_directory')"))
        {
            temp = result.Read() && !result.IsDBNull(0) ? result.GetString(0) : null;
        }

        if (string.IsNullOrEmpty(temp))
        {
            throw new RheiException("DuckDB has no temporary directory configured, so it cannot write the export.", RheiException.DuckDbEngineName);
        }

        var staging = Path.Combine(Path.GetFullPath(temp), "rhei-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        return staging;
    }

    private static void MoveInto(string staging, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(directory, Path.GetRelativePath(staging, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(file, destination, overwrite: true);
        }
    }

    private static void TryDelete(string staging)
    {
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover folder in DuckDB's temporary directory is harmless; the export's own error (if any) matters more.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool IsTableName(string text)
        => text.Trim().Length > 0 && text.Trim().All(c => char.IsLetterOrDigit(c) || c == '_');

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
