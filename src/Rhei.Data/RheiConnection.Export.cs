using Rhei.Data.Export;

namespace Rhei.Data;

// Export for tools and pipelines: the one way files leave the locked-down DuckDB mirror.
public sealed partial class RheiConnection
{
    /// <summary>
    /// Writes a replicated table, or one query DuckDB answers, to Parquet files in <paramref name="directory"/> through
    /// DuckDB's <c>COPY … (FORMAT PARQUET)</c>, after the usual freshness wait. Without <paramref name="partitionBy"/> the
    /// directory gets one <c>data.parquet</c>; with it, one <c>column=value/</c> folder per value (Hive partitioning).
    /// The query is SQLite SQL, translated as any command routed to DuckDB; user SQL itself still cannot write files.
    /// </summary>
    /// <param name="tableOrQuery">A replicated table's name, or a SELECT without parameters.</param>
    /// <param name="directory">Where the files go; created when missing, files of the same name replaced.</param>
    /// <param name="partitionBy">A column to partition by, or null for one file.</param>
    /// <param name="cancellationToken">Stops the export; DuckDB is interrupted.</param>
    /// <returns>The number of rows written.</returns>
    public Task<long> ExportParquetAsync(string tableOrQuery, string directory, string? partitionBy = null, CancellationToken cancellationToken = default)
    {
        RequireOpen(nameof(ExportParquetAsync));
        return ParquetExport.RunAsync(this, tableOrQuery, directory, partitionBy, cancellationToken);
    }
}
