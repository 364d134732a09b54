using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Rhei.Data;

/// <summary>
/// Generates the insert, update and delete commands of a <see cref="RheiDataAdapter"/> from its single-table
/// <see cref="RheiDataAdapter.SelectCommand"/>. The select's key columns are read from SQLite (the system of record),
/// and the generated commands run there.
/// </summary>
public sealed class RheiCommandBuilder : DbCommandBuilder
{
    /// <summary>Creates a builder; set <see cref="DataAdapter"/> before asking for commands.</summary>
    public RheiCommandBuilder()
    {
        QuotePrefix = "\"";
        QuoteSuffix = "\"";
    }

    /// <summary>Creates a builder that generates the commands of <paramref name="adapter"/>.</summary>
    public RheiCommandBuilder(RheiDataAdapter? adapter)
        : this()
    {
        DataAdapter = adapter;
    }

    /// <summary>The adapter whose commands are generated.</summary>
    public new RheiDataAdapter? DataAdapter
    {
        get => (RheiDataAdapter?)base.DataAdapter;
        set => base.DataAdapter = value;
    }

    /// <summary>Returns the generated insert command.</summary>
    public new RheiCommand GetInsertCommand() => (RheiCommand)base.GetInsertCommand();

    /// <summary>Returns the generated insert command, its parameters named after columns when <paramref name="useColumnsForParameterNames"/> allows.</summary>
    public new RheiCommand GetInsertCommand(bool useColumnsForParameterNames) => (RheiCommand)base.GetInsertCommand(useColumnsForParameterNames);

    /// <summary>Returns the generated update command.</summary>
    public new RheiCommand GetUpdateCommand() => (RheiCommand)base.GetUpdateCommand();

    /// <summary>Returns the generated update command, its parameters named after columns when <paramref name="useColumnsForParameterNames"/> allows.</summary>
    public new RheiCommand GetUpdateCommand(bool useColumnsForParameterNames) => (RheiCommand)base.GetUpdateCommand(useColumnsForParameterNames);

    /// <summary>Returns the generated delete command.</summary>
    public new RheiCommand GetDeleteCommand() => (RheiCommand)base.GetDeleteCommand();

    /// <summary>Returns the generated delete command, its parameters named after columns when <paramref name="useColumnsForParameterNames"/> allows.</summary>
    public new RheiCommand GetDeleteCommand(bool useColumnsForParameterNames) => (RheiCommand)base.GetDeleteCommand(useColumnsForParameterNames);

    /// <summary>Quotes an identifier for SQLite and DuckDB: in double quotes, with embedded quotes doubled.</summary>
    public override string QuoteIdentifier(string unquotedIdentifier)
    {
        ArgumentNullException.ThrowIfNull(unquotedIdentifier);
        return "\"" + unquotedIdentifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Reverses <see cref="QuoteIdentifier"/>; an identifier without quotes is returned as it is.</summary>
    public override string UnquoteIdentifier(string quotedIdentifier)
    {
        ArgumentNullException.ThrowIfNull(quotedIdentifier);
        return quotedIdentifier.Length >= 2 && quotedIdentifier[0] == '"' && quotedIdentifier[^1] == '"'
            ? quotedIdentifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
            : quotedIdentifier;
    }

    /// <inheritdoc />
    protected override void ApplyParameterInfo(DbParameter parameter, DataRow row, StatementType statementType, bool whereClause)
    {
        // SQLite stores values by their own type, so binding needs nothing from the schema; the column's CLR type is
        // still given as the DbType so that a row value of DBNull (which carries no type) is described like the column.
        if (row[SchemaTableColumn.DataType] is Type type && ToDbType(type) is { } dbType)
        {
            parameter.DbType = dbType;
        }
    }

    /// <inheritdoc />
    protected override string GetParameterName(int parameterOrdinal) => "@p" + parameterOrdinal.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    protected override string GetParameterName(string parameterName) => "@" + parameterName;

    /// <inheritdoc />
    protected override string GetParameterPlaceholder(int parameterOrdinal) => GetParameterName(parameterOrdinal);

    /// <inheritdoc />
    protected override void SetRowUpdatingHandler(DbDataAdapter adapter)
    {
        // The base class calls this to detach from the adapter it is leaving and to attach to the new one.
        var rhei = (RheiDataAdapter)adapter;
        if (ReferenceEquals(adapter, base.DataAdapter))
        {
            rhei.RowUpdating -= OnRowUpdating;
        }
        else
        {
            rhei.RowUpdating += OnRowUpdating;
        }
    }

    private void OnRowUpdating(object? sender, RheiRowUpdatingEventArgs e) => RowUpdatingHandler(e);

    private static DbType? ToDbType(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Int64 => DbType.Int64,
        TypeCode.Int32 => DbType.Int32,
        TypeCode.Double => DbType.Double,
        TypeCode.Decimal => DbType.Decimal,
        TypeCode.String => DbType.String,
        TypeCode.Boolean => DbType.Boolean,
        TypeCode.DateTime => DbType.DateTime,
        _ when type == typeof(byte[]) => DbType.Binary,
        _ when type == typeof(Guid) => DbType.Guid,
        _ => null,
    };
}
