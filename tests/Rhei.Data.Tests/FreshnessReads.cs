namespace Rhei.Data.Tests;

/// <summary>
/// The statements the freshness tests run on their table <c>f (id INTEGER PRIMARY KEY, v INTEGER)</c>: a write, and
/// the aggregate whose count, sum and answering engine say whether a read saw the writes before it.
/// </summary>
internal static class FreshnessReads
{
    public const string Aggregate = "SELECT count(*), sum(v) FROM f";

    public static void Execute(RheiConnection connection, string sql)
    {
        using var command = new RheiCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static (long Count, long Sum, RheiRoute Route) Read(RheiConnection connection)
    {
        using var command = new RheiCommand(Aggregate, connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetInt64(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.Route);
    }
}
