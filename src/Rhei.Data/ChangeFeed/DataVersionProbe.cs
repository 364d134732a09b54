using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;

namespace Rhei.Data.ChangeFeed;

/// <summary>
/// SQLite's <c>PRAGMA data_version</c> on a subscription's own connection, prepared once: it changes when any other
/// connection (in this process or another) commits, so an idle subscription's poll for writers Rhei cannot see costs one
/// step of a prepared pragma, not a read of the log, until something was committed.
/// </summary>
internal sealed class DataVersionProbe : IDisposable
{
    private readonly SqliteRowReader _reader;

    public DataVersionProbe(SqliteConnection connection) => _reader = new SqliteRowReader(connection, "PRAGMA data_version");

    public long Read()
    {
        _reader.Reset();
        var version = _reader.Read() ? _reader.GetInt64(0) : 0;
        _reader.Reset();
        return version;
    }

    public void Dispose() => _reader.Dispose();
}
