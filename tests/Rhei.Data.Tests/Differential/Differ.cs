using System.Globalization;
using Rhei.Data.Sql;

namespace Rhei.Data.Tests.Differential;

/// <summary>What a corpus query is expected to do on the analytical path.</summary>
[Flags]
public enum Expect
{
    /// <summary>Translates, and SQLite, forced DuckDB and Auto return identical rows in identical order.</summary>
    Same = 0,

    /// <summary>Doubles may differ in the last bits because the engines sum in different orders (SUM/AVG over REAL).</summary>
    Approx = 1,

    /// <summary>The query leaves the row order unspecified: rows are compared as multisets.</summary>
    Unordered = 2,

    /// <summary>The translator refuses it: Auto must route to SQLite and give SQLite's answer; forced DuckDB is not compared.</summary>
    Refused = 4,

    /// <summary>It translates but DuckDB rejects it: forced DuckDB fails, and Auto falls back to SQLite's answer.</summary>
    Fallback = 8,
}

/// <summary>Runs one query three ways (forced SQLite, forced DuckDB, Auto) and compares the normalised results.</summary>
internal static class Differ
{
    private const double RelativeTolerance = 1e-12;

    public static void AssertSame(RheiDataSource dataSource, string sql, Expect expect, params (string Name, object? Value)[] parameters)
    {
        using var connection = dataSource.OpenConnection();
        var registry = connection.Engine.Replication?.Registry.Snapshot;
        var refusal = Refusal(sql, new TranslateOptions { ColumnType = registry is null ? null : CommandPlanner.ColumnTypes(registry) });
        var translated = refusal is null;
        var explanation = Command(connection, sql, RheiRoute.Auto, parameters).ExplainRoute();
        if (expect.HasFlag(Expect.Refused))
        {
            Assert.False(translated, $"expected the translator to refuse, but it translated:\n{sql}\n=> {explanation.OlapSql}");
            Assert.Equal(RheiRoute.Oltp, explanation.Target);
            Assert.True(
                explanation.Reason.Contains("not translatable", StringComparison.Ordinal) || explanation.Rule is "Lookup" or "NoTables" or "NotReplicated",
                $"Auto should name the refusal: {explanation.Reason}");
        }
        else
        {
            Assert.True(translated, $"expected a translation, but the translator refused ({refusal}):\n{sql}");
        }

        var sqlite = Run(connection, sql, RheiRoute.Oltp, parameters);
        var auto = Run(connection, sql, RheiRoute.Auto, parameters);
        Compare("SQLite", sqlite, "Auto", auto, expect, sql, explanation.OlapSql);
        if (!translated)
        {
            return;
        }

        var duck = Run(connection, sql, RheiRoute.Olap, parameters);
        if (expect.HasFlag(Expect.Fallback))
        {
            Assert.True(duck.Error is not null, $"expected DuckDB to reject the translation:\n{explanation.OlapSql}");
            Assert.True(sqlite.Error is not null || auto.Route == RheiRoute.Oltp, "Auto should have fallen back to SQLite");
            return;
        }

        var olapSql = Command(connection, sql, RheiRoute.Olap, parameters).ExplainRoute().OlapSql;
        Compare("SQLite", sqlite, "DuckDB", duck, expect, sql, olapSql);
    }

    /// <summary>Null when every statement translates; otherwise the translator's reason.</summary>
    public static string? Refusal(string sql, TranslateOptions options)
    {
        foreach (var statement in SqlAnalyzer.AnalyzeUncached(sql).Statements)
        {
            if (!SqlTranslator.TryTranslate(statement, statement.CommandText, options, out _, out var reason))
            {
                return reason;
            }
        }

        return null;
    }

    private static RheiCommand Command(RheiConnection connection, string sql, RheiRoute route, (string Name, object? Value)[] parameters)
    {
        var command = new RheiCommand(sql, connection) { Route = route };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private sealed record Outcome(RheiRoute? Route, List<object[]> Rows, string? Error);

    private static Outcome Run(RheiConnection connection, string sql, RheiRoute route, (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, route, parameters);
        RheiRoute? answered = null;
        var rows = new List<object[]>();
        try
        {
            using var reader = command.ExecuteReader();
            answered = reader.Route;
            if (route != RheiRoute.Auto)
            {
                Assert.Equal(route, reader.Route);
            }

            while (reader.Read())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                rows.Add(row);
            }

            return new Outcome(answered, rows, null);
        }
        catch (RheiException e)
        {
            return new Outcome(answered, rows, e.Message);
        }
    }

    private static void Compare(string leftName, Outcome left, string rightName, Outcome right, Expect expect, string sql, string? olapSql)
    {
        var context = $"\n{sql}\nDuckDB SQL: {olapSql}\n{leftName}: {Describe(left)}\n{rightName}: {Describe(right)}";
        if (left.Error is not null || right.Error is not null)
        {
            // An error is an answer too: SQLite's "integer overflow" must not become a number.
            Assert.True(left.Error is not null && right.Error is not null, "one engine failed, the other answered:" + context);
            return;
        }

        var a = left.Rows;
        var b = right.Rows;
        if (expect.HasFlag(Expect.Unordered))
        {
            a = [.. a.OrderBy(Key, StringComparer.Ordinal)];
            b = [.. b.OrderBy(Key, StringComparer.Ordinal)];
        }

        Assert.True(a.Count == b.Count, "row counts differ:" + context);
        for (var r = 0; r < a.Count; r++)
        {
            Assert.True(a[r].Length == b[r].Length, "column counts differ:" + context);
            for (var c = 0; c < a[r].Length; c++)
            {
                Assert.True(ValueEquals(a[r][c], b[r][c], expect.HasFlag(Expect.Approx)), $"row {r} column {c} differs:" + context);
            }
        }
    }

    private static bool ValueEquals(object x, object y, bool approx)
    {
        if (x.GetType() != y.GetType())
        {
            return false;
        }

        return (x, y) switch
        {
            (double dx, double dy) when approx => dx == dy || Math.Abs(dx - dy) <= RelativeTolerance * Math.Max(Math.Abs(dx), Math.Abs(dy)),
            (double dx, double dy) => dx.Equals(dy),
            (byte[] bx, byte[] by) => bx.AsSpan().SequenceEqual(by),
            _ => x.Equals(y),
        };
    }

    private static string Key(object[] row) => string.Join("\u0001", row.Select(Format));

    private static string Describe(Outcome outcome)
        => outcome.Error is not null
            ? $"error ({outcome.Route}): {outcome.Error}"
            : $"({outcome.Route}) " + string.Join(" | ", outcome.Rows.Take(40).Select(r => string.Join(", ", r.Select(Format))));

    private static string Format(object value) => value switch
    {
        DBNull => "NULL",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
        string s => "'" + s + "'",
        byte[] b => "x'" + Convert.ToHexString(b) + "'",
        _ => value.GetType().Name + ":" + Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
