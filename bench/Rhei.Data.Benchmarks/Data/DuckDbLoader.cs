using Rhei.Data.Olap;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// Loads the same rows into a DuckDB database through Rhei's own binding (<c>Rhei.Data.Olap</c>) and its appender: the
/// own-binding figure noted beside the DuckDB.NET.Data baseline, and the appender part of the initial-sync breakdown.
/// </summary>
internal static class DuckDbLoader
{
    /// <summary>The settings the engine gives every session it rents, so the baseline computes the same answers.</summary>
    public const string SqliteSemantics =
        "SET integer_division = true; SET ieee_floating_point_ops = false; SET default_null_order = 'nulls_first_on_asc_last_on_desc';";

    public static void Append(DuckDbSession session, string table, IEnumerable<object[]> rows)
    {
        using var appender = session.CreateAppender(table);
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                appender.AppendValue(value);
            }

            appender.EndRow();
        }

        appender.Close();
    }

    public static void LoadTpch(DuckDbSession session, TpchGenerator data)
    {
        session.Execute(TpchSchema.DuckDbDdl);
        Append(session, "customer", data.CustomerRows());
        Append(session, "orders", data.OrderRows());
        Append(session, "lineitem", data.LineItemRows());
    }
}
