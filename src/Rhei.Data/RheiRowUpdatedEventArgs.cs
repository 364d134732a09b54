using System.Data;
using System.Data.Common;

namespace Rhei.Data;

/// <summary>Data for <see cref="RheiDataAdapter.RowUpdated"/>: raised after a row's command ran during <c>Update</c>.</summary>
public sealed class RheiRowUpdatedEventArgs : RowUpdatedEventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="row">The row that was sent.</param>
    /// <param name="command">The command that ran for the row.</param>
    /// <param name="statementType">Whether the row was inserted, updated or deleted.</param>
    /// <param name="tableMapping">The table mapping used for the update.</param>
    public RheiRowUpdatedEventArgs(DataRow row, IDbCommand? command, StatementType statementType, DataTableMapping tableMapping)
        : base(row, command, statementType, tableMapping)
    {
    }

    /// <summary>The command that ran for the row.</summary>
    public new RheiCommand? Command => (RheiCommand?)base.Command;
}
