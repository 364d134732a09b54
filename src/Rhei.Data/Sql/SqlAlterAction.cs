namespace Rhei.Data.Sql;

/// <summary>The kinds of ALTER TABLE SQLite supports.</summary>
internal enum SqlAlterKind
{
    Other,
    AddColumn,
    DropColumn,
    RenameTable,
    RenameColumn,
}

/// <summary>
/// What an ALTER TABLE does. <see cref="Name"/> is the column added/dropped, the old column name, or the new table name;
/// <see cref="NewName"/> is the new column name for a rename; <see cref="Definition"/> is the column definition text for an add.
/// </summary>
internal sealed record SqlAlterAction(SqlAlterKind Kind, string? Name, string? NewName = null, string? Definition = null);
