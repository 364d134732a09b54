using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Rhei.Data;

/// <summary>A parameter of a <see cref="RheiCommand"/>, bound on whichever engine runs the command.</summary>
public sealed class RheiParameter : DbParameter
{
    private string _parameterName = string.Empty;
    private string _sourceColumn = string.Empty;
    private object? _value;
    private bool _valueIsSet;
    private DbType? _dbType;

    /// <summary>Initializes a new instance.</summary>
    public RheiParameter()
    {
    }

    /// <summary>Initializes a new instance with a name and a value.</summary>
    /// <param name="name">The name, with or without its prefix (<c>@</c>, <c>:</c> or <c>$</c>).</param>
    /// <param name="value">The value; null and <see cref="DBNull.Value"/> bind NULL.</param>
    public RheiParameter(string? name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    /// <inheritdoc />
    public override DbType DbType
    {
        get => _dbType ?? InferDbType(_value);
        set => _dbType = value;
    }

    /// <inheritdoc />
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
            {
                throw new ArgumentException($"Parameter direction '{value}' is not supported: SQLite and DuckDB only take input parameters.", nameof(value));
            }
        }
    }

    /// <inheritdoc />
    public override bool IsNullable { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string ParameterName
    {
        get => _parameterName;
        set => _parameterName = value ?? string.Empty;
    }

    /// <inheritdoc />
    public override int Size { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string SourceColumn
    {
        get => _sourceColumn;
        set => _sourceColumn = value ?? string.Empty;
    }

    /// <inheritdoc />
    public override bool SourceColumnNullMapping { get; set; }

    /// <inheritdoc />
    /// <remarks>
    /// Setting null or <see cref="DBNull.Value"/> binds NULL. A parameter whose value was never set cannot be bound:
    /// executing a command that uses it throws <see cref="InvalidOperationException"/>, as Microsoft.Data.Sqlite does.
    /// </remarks>
    public override object? Value
    {
        get => _value;
        set
        {
            _value = value;
            _valueIsSet = true;
        }
    }

    /// <inheritdoc />
    public override void ResetDbType() => _dbType = null;

    /// <summary>Whether <see cref="DbType"/> was set explicitly rather than inferred from the value.</summary>
    internal bool DbTypeIsSet => _dbType.HasValue;

    /// <summary>Whether <see cref="Value"/> was ever set (null included); an unset value must not bind.</summary>
    internal bool ValueIsSet => _valueIsSet;

    /// <summary>
    /// The value handed to Microsoft.Data.Sqlite: NULL for null, and null itself when never set, so that SQLite's
    /// binder refuses it with its own <see cref="InvalidOperationException"/>.
    /// </summary>
    internal object? SqliteValue => _valueIsSet ? _value ?? DBNull.Value : null;

    /// <summary>A copy with everything that affects binding: name, value (or its absence), DbType and Size.</summary>
    internal RheiParameter Clone()
    {
        var copy = new RheiParameter
        {
            _parameterName = _parameterName,
            _sourceColumn = _sourceColumn,
            _value = _value,
            _valueIsSet = _valueIsSet,
            _dbType = _dbType,
            Size = Size,
            IsNullable = IsNullable,
            SourceColumnNullMapping = SourceColumnNullMapping,
            SourceVersion = SourceVersion,
        };
        return copy;
    }

    /// <summary>The name without its prefix character.</summary>
    internal string BareName
        => _parameterName.Length > 0 && _parameterName[0] is '@' or ':' or '$' ? _parameterName[1..] : _parameterName;

    internal SqliteParameter ToSqliteParameter(string name)
    {
        var parameter = new SqliteParameter(name, SqliteValue);
        if (_dbType is { } dbType)
        {
            parameter.DbType = dbType;
        }

        if (Size != 0)
        {
            parameter.Size = Size;
        }

        return parameter;
    }

    /// <summary>
    /// The value as the DuckDB route binds it: converted the way Microsoft.Data.Sqlite stores it in SQLite,
    /// so that a parameter compares against the mirror exactly as it compares against SQLite.
    /// </summary>
    internal object? ToOlapValue() => RheiValueBinder.ToSqliteStorage(_value, _dbType, Size);

    private static DbType InferDbType(object? value) => value switch
    {
        null or DBNull => DbType.String,
        bool => DbType.Boolean,
        byte => DbType.Byte,
        sbyte => DbType.SByte,
        short => DbType.Int16,
        ushort => DbType.UInt16,
        int => DbType.Int32,
        uint => DbType.UInt32,
        long => DbType.Int64,
        ulong => DbType.UInt64,
        float => DbType.Single,
        double => DbType.Double,
        decimal => DbType.Decimal,
        DateTime => DbType.DateTime,
        DateTimeOffset => DbType.DateTimeOffset,
        DateOnly => DbType.Date,
        TimeOnly => DbType.Time,
        TimeSpan => DbType.Time,
        Guid => DbType.Guid,
        byte[] => DbType.Binary,
        _ => DbType.String,
    };
}
