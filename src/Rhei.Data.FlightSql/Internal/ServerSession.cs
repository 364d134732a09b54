namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// A connection the server opened for one call. On a read-only server it runs with SQLite's <c>PRAGMA query_only</c>
/// (SQLite itself refuses any change to the file, whatever the router decided) and is reset before it returns to
/// the pool; if the reset fails, the pool is cleared so that no application connection inherits the setting.
/// </summary>
internal sealed class ServerSession(RheiConnection connection, bool readOnly) : IAsyncDisposable
{
    private bool _queryOnly;

    public RheiConnection Connection { get; } = connection;

    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        if (!readOnly)
        {
            return;
        }

        await SetQueryOnlyAsync(true, cancellationToken).ConfigureAwait(false);
        _queryOnly = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_queryOnly)
        {
            _queryOnly = false;
            try
            {
                await SetQueryOnlyAsync(false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                // The SQLite connection may still say query_only: drop the pooled ones rather than hand it on.
                RheiConnection.ClearPool(Connection);
            }
        }

        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SetQueryOnlyAsync(bool on, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = on ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
