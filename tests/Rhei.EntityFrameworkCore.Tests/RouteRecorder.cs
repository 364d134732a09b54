using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rhei.Data;

namespace Rhei.EntityFrameworkCore.Tests;

/// <summary>Records which engine answered each query EF ran (from <see cref="RheiDataReader.Route"/>).</summary>
public sealed class RouteRecorder : DbCommandInterceptor
{
    public ConcurrentQueue<(string Sql, RheiRoute Route)> Readers { get; } = new();

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record(command, result);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(command, result);
        return ValueTask.FromResult(result);
    }

    public RheiRoute LastRoute => Readers.Last().Route;

    public void Clear() => Readers.Clear();

    private void Record(DbCommand command, DbDataReader result)
    {
        if (result is RheiDataReader reader)
        {
            Readers.Enqueue((command.CommandText, reader.Route));
        }
    }
}
