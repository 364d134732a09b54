using System.Data.Common;
using System.Globalization;
using Rhei.Data;
using Spectre.Console;

namespace Rhei.Tool;

/// <summary>Draws result sets as tables and the line under them: how many rows, which engine answered, how long it took.</summary>
internal static class ResultRenderer
{
    /// <summary>Runs <paramref name="command"/> and draws every result set; returns how many rows were read.</summary>
    public static async Task<long> QueryAsync(IAnsiConsole console, RheiCommand command, int maxRows, bool timer, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long total = 0;
        var anyRows = false;
        do
        {
            if (reader.FieldCount == 0)
            {
                continue;
            }

            anyRows = true;
            total += await DrawAsync(console, reader, maxRows, cancellationToken).ConfigureAwait(false);
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var line = anyRows
            ? $"{total.ToString("N0", CultureInfo.InvariantCulture)} {(total == 1 ? "row" : "rows")} · answered by {EngineName(reader.Route)}"
            : $"{Math.Max(reader.RecordsAffected, 0).ToString("N0", CultureInfo.InvariantCulture)} {(reader.RecordsAffected == 1 ? "row" : "rows")} affected";
        console.WriteLine(timer ? line + " · " + Milliseconds(elapsed) : line);
        return total;
    }

    public static string EngineName(RheiRoute route) => route == RheiRoute.Olap ? "DuckDB" : "SQLite";

    public static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Format(object? value) => value switch
    {
        null or DBNull => "NULL",
        byte[] bytes => "x'" + Convert.ToHexString(bytes) + "'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static async Task<long> DrawAsync(IAnsiConsole console, DbDataReader reader, int maxRows, CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Rounded);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            table.AddColumn(new TableColumn(new Text(reader.GetName(i))));
        }

        long rows = 0;
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            if (rows > maxRows)
            {
                continue;
            }

            reader.GetValues(values);
            table.AddRow(values.Select(v => (Spectre.Console.Rendering.IRenderable)new Text(Format(v))).ToArray());
        }

        console.Write(table);
        if (rows > maxRows)
        {
            console.WriteLine($"… {(rows - maxRows).ToString("N0", CultureInfo.InvariantCulture)} more rows not shown (--max-rows {maxRows})");
        }

        return rows;
    }
}
