using Rhei.Data.Sql.Syntax;

namespace Rhei.Data.Sql;

/// <summary>One analysed statement of a command. Immutable and shared through the analysis cache.</summary>
internal sealed class SqlStatement
{
    /// <summary>The whole command text the statement belongs to; token positions are offsets into it.</summary>
    public required string CommandText { get; init; }

    /// <summary>Offset of the statement's first token (leading comments included) in <see cref="CommandText"/>.</summary>
    public required int Start { get; init; }

    /// <summary>Length of the statement, without the terminating semicolon.</summary>
    public required int Length { get; init; }

    /// <summary>The statement's significant tokens (no whitespace or comments), ending with an <see cref="SqlTokenKind.End"/> token.</summary>
    public required SqlToken[] Tokens { get; init; }

    /// <summary>The one parse of <see cref="Tokens"/> both the analyser and the translator read.</summary>
    public required SqlSyntax Syntax { get; init; }

    public required SqlStatementKind Kind { get; init; }

    public SqlFeatures Features { get; init; }

    /// <summary>Tables read, in order of appearance (duplicates kept once per reference).</summary>
    public IReadOnlyList<SqlTableReference> Tables { get; init; } = [];

    /// <summary>Table-valued functions used as FROM items (<c>json_each</c>, <c>range</c>, <c>read_csv</c>), lower-cased.</summary>
    public IReadOnlyList<string> TableFunctions { get; init; } = [];

    /// <summary>Every function called, lower-cased, each once.</summary>
    public IReadOnlyList<string> Functions { get; init; } = [];

    public IReadOnlyList<SqlParameterRef> Parameters { get; init; } = [];

    /// <summary>The table written by INSERT/UPDATE/DELETE/REPLACE, or created/altered/dropped by DDL (unquoted, schema-qualified if written so).</summary>
    public string? TargetTable { get; init; }

    public SqlAlterAction? AlterAction { get; init; }

    /// <summary>Route requested by a leading <c>/*+ rhei:olap */</c> or <c>-- rhei:oltp</c> comment.</summary>
    public RheiRoute? Hint { get; init; }

    public IReadOnlyList<SqlTemporalClause> TemporalClauses { get; init; } = [];

    /// <summary>True when the statement names <c>_rhei_valid_from</c>, <c>_rhei_valid_to</c> or <c>_rhei_operation</c>.</summary>
    public bool UsesPeriodColumns { get; init; }

    public SqlLookupKind Lookup { get; init; }

    public string Text => CommandText.Substring(Start, Length);

    public bool IsRead => Kind == SqlStatementKind.Select;

    public bool IsWrite => Kind is SqlStatementKind.Insert or SqlStatementKind.Update or SqlStatementKind.Delete
        or SqlStatementKind.Replace or SqlStatementKind.Upsert;

    public bool IsDdl => Kind is SqlStatementKind.CreateTable or SqlStatementKind.CreateOther or SqlStatementKind.AlterTable
        or SqlStatementKind.DropTable or SqlStatementKind.DropOther;

    public bool IsTransactionControl => Kind is SqlStatementKind.Begin or SqlStatementKind.Commit or SqlStatementKind.Rollback
        or SqlStatementKind.Savepoint or SqlStatementKind.Release;

    public bool HasTemporalSyntax => TemporalClauses.Count > 0 || UsesPeriodColumns;

    public bool Has(SqlFeatures feature) => (Features & feature) != 0;

    public override string ToString() => $"{Kind}: {Text}";
}
