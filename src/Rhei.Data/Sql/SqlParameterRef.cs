namespace Rhei.Data.Sql;

/// <summary>How a parameter is written in the command text.</summary>
internal enum SqlParameterStyle
{
    /// <summary><c>?</c></summary>
    Anonymous,

    /// <summary><c>?NNN</c></summary>
    Numbered,

    /// <summary><c>@name</c></summary>
    At,

    /// <summary><c>:name</c></summary>
    Colon,

    /// <summary><c>$name</c>, and DuckDB's <c>$1</c></summary>
    Dollar,
}

/// <summary>
/// One parameter occurrence. <see cref="Name"/> is the text as written (<c>@p</c>, <c>?3</c>, <c>?</c>);
/// <see cref="Index"/> is the 1-based index SQLite gives it (repeated names share an index);
/// <see cref="Position"/> is the 0-based order of appearance in the statement.
/// </summary>
internal sealed record SqlParameterRef(string Name, SqlParameterStyle Style, int Index, int Position);
