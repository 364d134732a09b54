using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rhei.Data;

namespace Rhei.EntityFrameworkCore.Sample;

/// <summary>Remembers which engine answered the last query EF ran.</summary>
public sealed class RouteLog : DbCommandInterceptor
{
    public RheiRoute? Last { get; private set; }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Last = (result as RheiDataReader)?.Route;
        return result;
    }

    public string Describe() => Last switch
    {
        RheiRoute.Olap => "DuckDB mirror",
        RheiRoute.Oltp => "SQLite",
        _ => "unknown",
    };
}
