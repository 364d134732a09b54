using System.Data;
using System.Data.Common;

namespace Rhei.Data;

/// <summary>Data for <see cref="RheiDataAdapter.RowUpdating"/>: raised before a row's command runs during <c>Update</c>.</summary>
public sealed class RheiRowUpdatingEventArgs : RowUpdatingEventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="row">The row being sent.</param>
    /// <param name="command">The command that will be run for the row.</param>
    /// <param name="statementType">Whether the row is inserted, updated or deleted.</param>
    /// <param name="tableMapping">The table mapping used for the update.</param>
    public RheiRowUpdatingEventArgs(DataRow row, IDbCommand? command, StatementType statementType, DataTableMapping tableMapping)
        : base(row, command, statementType, tableMapping)
    {
    }

    /// <summary>The command that will be run for the row; a handler may replace it.</summary>
    public new RheiCommand? Command
    {
        get => (RheiCommand?)base.Command;
        set => base.Command = value;
    }
}
