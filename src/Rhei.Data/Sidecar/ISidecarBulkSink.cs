using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;

namespace Rhei.Data.Sidecar;

/// <summary>
/// A copy sink that also takes rows a table at a time as DuckDB data chunks, instead of row by row through
/// <see cref="ISidecarRowSink.Append"/>: a SQLite table through the local initial sync's loader
/// (<see cref="MirrorLoader"/>: SQLite's cells straight into chunks), a PostgreSQL COPY through chunks the source
/// fills with typed values. Either way no managed value per cell and no native call per value.
/// </summary>
internal interface ISidecarBulkSink : ISidecarRowSink
{
    /// <summary>
    /// Copies every row of <paramref name="table"/> as <paramref name="connection"/> sees it inside its open read
    /// transaction; false, with nothing copied, when the table needs the row path (a temporal mirror, whose versions
    /// open at each row's updated-at value, or a mirror typed otherwise than the SQLite mapping).
    /// </summary>
    bool TryLoad(SidecarTable table, SqliteConnection connection, SqliteTransaction transaction, Action<long>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// The appender of <paramref name="table"/>'s mirror for whole data chunks of its column types, or null when the
    /// table takes the row path (a temporal mirror) or is quarantined already. Valid until the next call on the sink.
    /// </summary>
    DuckDbAppender? ChunkAppender(SidecarTable table);

    /// <summary>Counts rows appended as chunks.</summary>
    void ChunksAppended(long rows);

    /// <summary>DuckDB refused a chunk of <paramref name="table"/>: the table is quarantined and its appender dropped.</summary>
    void ChunkFailed(SidecarTable table, DuckDbException error);
}
