using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Rhei.Data;

namespace Rhei.EntityFrameworkCore.Storage.Internal;

/// <summary>
/// The user functions and collation the EF Core SQLite provider's SQL relies on (<c>ef_add</c>…, <c>regexp</c>,
/// <c>EF_DECIMAL</c>). The SQLite provider registers them only on a <see cref="SqliteConnection"/> it created
/// itself, so Rhei registers them on the SQLite connection underneath every <see cref="RheiConnection"/> EF uses.
/// </summary>
/// <remarks>
/// Same definitions as EF Core 10's <c>SqliteRelationalConnection</c>, except that the collation parses with the
/// invariant culture: decimals are stored as invariant TEXT, so a current-culture parse would mis-order them (or
/// throw) on a machine whose decimal separator is a comma.
/// </remarks>
public static class RheiSqliteFunctions
{
    /// <summary>Makes sure <paramref name="connection"/> registers the functions each time its SQLite connection opens.</summary>
    public static void Attach(DbConnection connection)
    {
        if (connection is not RheiConnection rhei)
        {
            return;
        }

        // Removing first keeps one subscription however many EF contexts share a user-owned connection
        // (a static method group compares equal to itself).
        rhei.SqliteConnectionOpened -= Register;
        rhei.SqliteConnectionOpened += Register;
        if (rhei.State == System.Data.ConnectionState.Open)
        {
            // Opened before EF saw it: register now; re-registering a function replaces it.
            Register(rhei.SqliteConnection);
        }
    }

    /// <summary>Registers the functions and collation on one SQLite connection.</summary>
    public static void Register(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);

        connection.CreateFunction(
            "regexp",
            (string? pattern, string? input) => input is null || pattern is null ? default(bool?) : Regex.IsMatch(input, pattern),
            isDeterministic: true);

        connection.CreateFunction("ef_add", (decimal? left, decimal? right) => left + right, isDeterministic: true);
        connection.CreateFunction("ef_divide", (decimal? dividend, decimal? divisor) => dividend / divisor, isDeterministic: true);
        connection.CreateFunction("ef_mod", (decimal? dividend, decimal? divisor) => dividend % divisor, isDeterministic: true);
        connection.CreateFunction("ef_multiply", (decimal? left, decimal? right) => left * right, isDeterministic: true);
        connection.CreateFunction("ef_negate", (decimal? m) => -m, isDeterministic: true);
        connection.CreateFunction(
            "ef_compare",
            (decimal? left, decimal? right) => left.HasValue && right.HasValue ? decimal.Compare(left.Value, right.Value) : default(int?),
            isDeterministic: true);

        connection.CreateAggregate(
            "ef_avg",
            seed: (Sum: 0m, Count: 0UL),
            ((decimal Sum, ulong Count) acc, decimal? value) => value is null ? acc : (acc.Sum + value.Value, acc.Count + 1),
            acc => acc.Count == 0 ? default(decimal?) : acc.Sum / acc.Count,
            isDeterministic: true);
        connection.CreateAggregate(
            "ef_max",
            seed: (decimal?)null,
            (decimal? max, decimal? value) => max is null ? value : value is null ? max : decimal.Max(max.Value, value.Value),
            isDeterministic: true);
        connection.CreateAggregate(
            "ef_min",
            seed: (decimal?)null,
            (decimal? min, decimal? value) => min is null ? value : value is null ? min : decimal.Min(min.Value, value.Value),
            isDeterministic: true);
        connection.CreateAggregate(
            "ef_sum",
            seed: (decimal?)null,
            (decimal? sum, decimal? value) => value is null ? sum : sum is null ? value : sum.Value + value.Value,
            isDeterministic: true);

        connection.CreateCollation("EF_DECIMAL", CompareDecimalText);
    }

    private static int CompareDecimalText(string? left, string? right)
    {
        var l = ParseDecimal(left);
        var r = ParseDecimal(right);
        // Text that is not a number (hand-written rows) sorts after every number instead of failing the query.
        return l is { } a && r is { } b ? decimal.Compare(a, b)
            : l is not null ? -1
            : r is not null ? 1
            : string.CompareOrdinal(left, right);
    }

    private static decimal? ParseDecimal(string? text)
        => decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value) ? value : null;
}
