using System.Data;
using System.Data.Common;

namespace Rhei.Data;

/// <summary>
/// Fills a <see cref="DataSet"/> from Rhei and sends its changes back, for reporting tools and
/// <see cref="DataTable"/>-based code. Each command is routed like any <see cref="RheiCommand"/>: an analytical
/// <see cref="SelectCommand"/> may be answered by the DuckDB mirror; inserts, updates and deletes always go to SQLite.
/// </summary>
public sealed class RheiDataAdapter : DbDataAdapter
{
    // Keys into the base class's event list, as the framework's own adapters keep their events.
    private static readonly object s_rowUpdatingKey = new();
    private static readonly object s_rowUpdatedKey = new();

    /// <summary>Creates an adapter with no commands.</summary>
    public RheiDataAdapter()
    {
    }

    /// <summary>Creates an adapter that fills from <paramref name="selectCommand"/>.</summary>
    public RheiDataAdapter(RheiCommand? selectCommand)
    {
        SelectCommand = selectCommand;
    }

    /// <summary>Creates an adapter that fills from <paramref name="selectCommandText"/> on <paramref name="connection"/>.</summary>
    public RheiDataAdapter(string? selectCommandText, RheiConnection? connection)
    {
        SelectCommand = new RheiCommand(selectCommandText, connection);
    }

    /// <summary>Creates an adapter that fills from <paramref name="selectCommandText"/> on a new connection it opens as needed.</summary>
    public RheiDataAdapter(string? selectCommandText, string connectionString)
    {
        SelectCommand = new RheiCommand(selectCommandText, new RheiConnection(connectionString));
    }

    /// <summary>Raised before each row's insert, update or delete command runs during <c>Update</c>.</summary>
    public event EventHandler<RheiRowUpdatingEventArgs>? RowUpdating
    {
        add => Events.AddHandler(s_rowUpdatingKey, value);
        remove => Events.RemoveHandler(s_rowUpdatingKey, value);
    }

    /// <summary>Raised after each row's insert, update or delete command ran during <c>Update</c>.</summary>
    public event EventHandler<RheiRowUpdatedEventArgs>? RowUpdated
    {
        add => Events.AddHandler(s_rowUpdatedKey, value);
        remove => Events.RemoveHandler(s_rowUpdatedKey, value);
    }

    /// <summary>The command that reads rows for <c>Fill</c> and <c>FillSchema</c>.</summary>
    public new RheiCommand? SelectCommand
    {
        get => (RheiCommand?)base.SelectCommand;
        set => base.SelectCommand = value;
    }

    /// <summary>The command that inserts added rows during <c>Update</c>.</summary>
    public new RheiCommand? InsertCommand
    {
        get => (RheiCommand?)base.InsertCommand;
        set => base.InsertCommand = value;
    }

    /// <summary>The command that writes modified rows during <c>Update</c>.</summary>
    public new RheiCommand? UpdateCommand
    {
        get => (RheiCommand?)base.UpdateCommand;
        set => base.UpdateCommand = value;
    }

    /// <summary>The command that removes deleted rows during <c>Update</c>.</summary>
    public new RheiCommand? DeleteCommand
    {
        get => (RheiCommand?)base.DeleteCommand;
        set => base.DeleteCommand = value;
    }

    /// <inheritdoc />
    protected override RowUpdatingEventArgs CreateRowUpdatingEvent(DataRow dataRow, IDbCommand? command, StatementType statementType, DataTableMapping tableMapping)
        => new RheiRowUpdatingEventArgs(dataRow, command, statementType, tableMapping);

    /// <inheritdoc />
    protected override RowUpdatedEventArgs CreateRowUpdatedEvent(DataRow dataRow, IDbCommand? command, StatementType statementType, DataTableMapping tableMapping)
        => new RheiRowUpdatedEventArgs(dataRow, command, statementType, tableMapping);

    /// <inheritdoc />
    protected override void OnRowUpdating(RowUpdatingEventArgs value)
    {
        if (Events[s_rowUpdatingKey] is EventHandler<RheiRowUpdatingEventArgs> handler && value is RheiRowUpdatingEventArgs args)
        {
            handler(this, args);
        }
    }

    /// <inheritdoc />
    protected override void OnRowUpdated(RowUpdatedEventArgs value)
    {
        if (Events[s_rowUpdatedKey] is EventHandler<RheiRowUpdatedEventArgs> handler && value is RheiRowUpdatedEventArgs args)
        {
            handler(this, args);
        }
    }
}
