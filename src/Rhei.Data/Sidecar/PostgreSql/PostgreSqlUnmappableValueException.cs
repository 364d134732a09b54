namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// A PostgreSQL value the mirror's column type cannot hold (NaN in a DECIMAL, an infinite timestamp, a
/// multi-dimensional array). Internal: the sources catch it and quarantine the table (<see cref="PostgreSqlQuarantine"/>);
/// it never reaches a caller.
/// </summary>
internal sealed class PostgreSqlUnmappableValueException(string reason) : Exception(reason)
{
}
