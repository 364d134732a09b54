namespace Rhei.Data.Olap;

/// <summary>
/// A DuckDB INTERVAL. Its three parts are independent (a month is not a fixed number of days), so it is not
/// folded into a <see cref="TimeSpan"/>.
/// </summary>
internal readonly record struct DuckDbInterval(int Months, int Days, long Micros);
