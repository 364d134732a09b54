using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Rhei.Data;

/// <summary>One command of a <see cref="RheiBatch"/>.</summary>
public sealed class RheiBatchCommand : DbBatchCommand
{
    private string _commandText = string.Empty;

    /// <summary>Initializes a new batch command.</summary>
    public RheiBatchCommand()
    {
    }

    /// <summary>Initializes a new batch command with its text.</summary>
    public RheiBatchCommand(string commandText)
    {
        CommandText = commandText;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? string.Empty;
    }

    /// <inheritdoc />
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException($"CommandType '{value}' is not supported: SQLite and DuckDB take SQL text only.", nameof(value));
            }
        }
    }

    /// <summary>The engine this command asks for; <see cref="RheiRoute.Auto"/> lets the router decide.</summary>
    public RheiRoute Route { get; set; }

    /// <inheritdoc />
    public override int RecordsAffected => RecordsAffectedValue;

    internal int RecordsAffectedValue { get; set; } = -1;

    /// <summary>The command's parameters.</summary>
    public new RheiParameterCollection Parameters { get; } = new();

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => Parameters;

    /// <inheritdoc />
    public override bool CanCreateParameter => true;

    /// <inheritdoc />
    public override DbParameter CreateParameter() => new RheiParameter();
}
