using Rhei.Data.Arrow;

namespace Rhei.Data.Olap;

/// <summary>
/// Binds and runs a command's translated statements on DuckDB, one at a time: the command runs the first when it
/// executes, and the <see cref="DuckDbCursor"/> asks for the next on <c>NextResult</c>. Parameters are read from the
/// command's collection when each statement runs, as Microsoft.Data.Sqlite binds each statement as it steps to it.
/// </summary>
internal sealed class DuckDbStatementRunner
{
    private readonly RheiConnection _connection;
    private readonly OlapSession _session;
    private readonly RheiParameterCollection _parameters;
    private readonly string _sqliteText;

    public DuckDbStatementRunner(RheiConnection connection, OlapSession session, IReadOnlyList<OlapStatement> statements, RheiParameterCollection parameters, string sqliteText)
    {
        _connection = connection;
        _session = session;
        Statements = statements;
        _parameters = parameters;
        _sqliteText = sqliteText;
    }

    public IReadOnlyList<OlapStatement> Statements { get; }

    /// <summary>Binds and runs statement <paramref name="index"/>; a DuckDB error comes out as <see cref="RheiException"/>.</summary>
    public DuckDbResultReader Execute(int index)
    {
        var statement = Statements[index];

        // Before DuckDB sees it: DuckDB's prepare of a statement SQLite refuses (80,000 ORs) does not look at an interrupt.
        SqliteColumnNames.ThrowIfSqliteRefuses(_connection, statement, _sqliteText, index);
        try
        {
            var prepared = _session.Prepare(statement.Sql);
            DuckDbParameterBinder.Bind(prepared, statement, _parameters);
            return prepared.Execute();
        }
        catch (DuckDbException ex)
        {
            _session.Forget(statement.Sql);
            throw RheiException.FromDuckDb(ex, statement.Sql);
        }
        catch (OperationCanceledException)
        {
            _session.Forget(statement.Sql);
            throw;
        }
    }

    /// <summary>
    /// The names SQLite gives statement <paramref name="index"/>'s columns (prepared once per translation, never stepped),
    /// or null when SQLite cannot prepare it: the reader then shows DuckDB's own names.
    /// </summary>
    public string[]? SqliteNames(int index) => SqliteColumnNames.Get(_connection, Statements[index], _sqliteText, index);
}
