namespace Rhei.Data.Sql;

/// <summary>The statements of one command text, as analysed once and then served from the cache.</summary>
internal sealed class SqlCommandAnalysis
{
    public SqlCommandAnalysis(string commandText, IReadOnlyList<SqlStatement> statements)
    {
        CommandText = commandText;
        Statements = statements;
    }

    public string CommandText { get; }

    public IReadOnlyList<SqlStatement> Statements { get; }

    /// <summary>True when any statement writes, changes schema or controls transactions.</summary>
    public bool HasSideEffects
    {
        get
        {
            foreach (var statement in Statements)
            {
                if (!statement.IsRead)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
