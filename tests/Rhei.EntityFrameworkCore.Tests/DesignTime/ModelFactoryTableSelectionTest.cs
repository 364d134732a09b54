// EF1001: design-time services live in *.Internal namespaces by EF's convention; this test exercises them directly.
#pragma warning disable EF1001
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Design.Internal;

namespace Rhei.EntityFrameworkCore.Tests.DesignTime;

/// <summary>Which tables scaffolding reads from a database that Rhei and EF migrations have both written to.</summary>
public sealed class ModelFactoryTableSelectionTest
{
    [Fact]
    public void Scaffolding_reads_neither_Rhei_tables_nor_the_EF_migrations_lock()
    {
        using var db = new TempDatabase("Olap=DuckDb");
        using (var connection = new RheiConnection(db.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // What `dotnet ef database update` leaves: the application's tables and EF's two bookkeeping tables.
            command.CommandText =
                """
                CREATE TABLE "Stores" ("Id" INTEGER PRIMARY KEY, "City" TEXT NOT NULL);
                CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT NOT NULL PRIMARY KEY, "ProductVersion" TEXT NOT NULL);
                INSERT INTO "Stores" ("City") VALUES ('Oslo');
                """;
            command.ExecuteNonQuery();
        }

        var logged = new LogCollector();
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(new LoggerFactory([logged]));
        new RheiDesignTimeServices().ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider(validateScopes: true);
        using var scope = provider.CreateScope();

        var model = scope.ServiceProvider.GetRequiredService<IDatabaseModelFactory>().Create(db.ConnectionString, new DatabaseModelFactoryOptions());

        Assert.Equal(["Stores"], model.Tables.Select(t => t.Name));
        Assert.DoesNotContain(logged.Messages, m => m.Contains("_rhei_", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(logged.Messages, m => m.Contains("Stores", StringComparison.Ordinal));
    }

    /// <summary>Keeps every message the scaffolding logger writes, at every level.</summary>
    private sealed class LogCollector : ILoggerProvider, ILogger
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return _messages.ToList();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
