using System.Data;
using System.Diagnostics;

namespace Rhei.Data.Tests.Diagnostics;

/// <summary>
/// A span per command execution on the <c>Rhei.Data</c> ActivitySource: <c>db.system.name</c> is the engine that answered
/// (after any fallback), with the route rule, the operation, the data source and, only when opted in, the text; errors are
/// recorded; and each execution's duration lands in <c>db.client.operation.duration</c>.
/// </summary>
public sealed class CommandTracingTest
{
    private static async Task<TestDatabase> SeededAsync()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)");
        db.Execute("INSERT INTO items VALUES (1, 'a', 10), (2, 'b', 20), (3, 'a', 30)");
        await using var connection = db.Open();
        await connection.SyncAsync();
        return db;
    }

    [Fact]
    public async Task ExecuteReader_span_names_SQLite_for_a_point_read_and_ends_when_the_reader_closes()
    {
        await using var db = await SeededAsync();
        using var capture = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using var connection = db.Open();
        await using var command = new RheiCommand("SELECT v FROM items WHERE id = 2", connection);
        var explained = command.ExplainRoute();
        Assert.Equal(RheiRoute.Oltp, explained.Target);

        var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Empty(capture.Spans("SELECT"));
        await reader.DisposeAsync();

        var span = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("sqlite", span.GetTagItem("db.system.name"));
        Assert.Equal("SELECT", span.GetTagItem("db.operation.name"));
        Assert.Equal("ExecuteReader", span.GetTagItem("rhei.command.method"));
        Assert.Equal(explained.Rule, span.GetTagItem("rhei.route.rule"));
        Assert.Equal(db.Path, span.GetTagItem("db.namespace"));
        Assert.Null(span.GetTagItem("db.query.text"));
        Assert.Null(span.GetTagItem("rhei.route.fallback"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task ExecuteArrowReader_on_DuckDB_has_its_own_span_naming_DuckDB()
    {
        await using var db = await SeededAsync();
        using var capture = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using var connection = db.Open();
        await using var command = new RheiCommand("SELECT v, sum(n) FROM items GROUP BY v ORDER BY v", connection);
        Assert.Equal(RheiRoute.Olap, command.ExplainRoute().Target);

        using (var stream = await command.ExecuteArrowReaderAsync())
        {
            Assert.NotNull(await stream.ReadNextRecordBatchAsync());
        }

        var span = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal("duckdb", span.GetTagItem("db.system.name"));
        Assert.Equal("ExecuteArrowReader", span.GetTagItem("rhei.command.method"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Analytical_read_span_names_DuckDB_and_the_duration_is_recorded_in_seconds()
    {
        await using var db = await SeededAsync();
        using var capture = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using var connection = db.Open();
        await using var command = new RheiCommand("SELECT v, sum(n) FROM items GROUP BY v ORDER BY v", connection);
        var explained = command.ExplainRoute();
        Assert.Equal(RheiRoute.Olap, explained.Target);

        await using (var reader = command.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            while (reader.Read())
            {
            }
        }

        var span = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal("duckdb", span.GetTagItem("db.system.name"));
        Assert.Equal(explained.Rule, span.GetTagItem("rhei.route.rule"));
        var duration = Assert.Single(capture.Measurements("db.client.operation.duration"), m => Equals(m.Tag("db.system.name"), "duckdb"));
        Assert.Equal("s", duration.Unit);
        Assert.Equal("SELECT", duration.Tag("db.operation.name"));
        Assert.InRange(duration.Value, 0, span.Duration.TotalSeconds + 1);
        Assert.False(duration.Tags.ContainsKey("error.type"));

        var decision = Assert.Single(capture.Measurements("rhei.route.decisions"), m => Equals(m.Tag("db.system.name"), "duckdb"));
        Assert.Equal("{decision}", decision.Unit);
        Assert.Equal(explained.Rule, decision.Tag("rhei.route.rule"));
        Assert.Equal(1, decision.Value);
    }

    [Fact]
    public async Task Read_that_DuckDB_rejects_is_traced_as_answered_by_SQLite_after_a_fallback()
    {
        await using var db = await SeededAsync();
        using var capture = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using var connection = db.Open();
        // SQLite accepts a bare column beside GROUP BY, DuckDB rejects it: planned for DuckDB, answered by SQLite.
        await using var command = new RheiCommand("SELECT v, id FROM items GROUP BY v ORDER BY v", connection);
        Assert.Equal(RheiRoute.Olap, command.ExplainRoute().Target);

        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.Equal(RheiRoute.Oltp, reader.Route);
        }

        var span = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal("sqlite", span.GetTagItem("db.system.name"));
        Assert.Equal(true, span.GetTagItem("rhei.route.fallback"));
        var fallback = Assert.Single(capture.Measurements("rhei.route.olap_fallbacks"));
        Assert.Equal("{command}", fallback.Unit);
        Assert.Equal(1, fallback.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NonQuery_and_scalar_have_a_span_each_with_their_method_sync_and_async(bool async)
    {
        await using var db = await SeededAsync();
        using var capture = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using var connection = db.Open();
        await using var insert = new RheiCommand("INSERT INTO items VALUES (4, 'c', 40)", connection);
        await using var count = new RheiCommand("SELECT count(*) FROM items", connection);

        Assert.Equal(1, async ? await insert.ExecuteNonQueryAsync() : insert.ExecuteNonQuery());
        Assert.Equal(4L, async ? await count.ExecuteScalarAsync() : count.ExecuteScalar());

        var write = Assert.Single(capture.Spans("INSERT"));
        Assert.Equal("ExecuteNonQuery", write.GetTagItem("rhei.command.method"));
        Assert.Equal("sqlite", write.GetTagItem("db.system.name"));
        Assert.Equal("SideEffects", write.GetTagItem("rhei.route.rule"));
        var scalar = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal("ExecuteScalar", scalar.GetTagItem("rhei.command.method"));
        Assert.Equal(count.ExplainRoute().Target == RheiRoute.Olap ? "duckdb" : "sqlite", scalar.GetTagItem("db.system.name"));
        Assert.Equal(2, capture.Measurements("db.client.operation.duration").Count);
    }

    [Fact]
    public async Task Query_text_is_on_the_span_only_when_the_data_source_opted_in_and_the_name_is_the_builders()
    {
        await using var db = await SeededAsync();
        const string text = "SELECT v FROM items WHERE id = $id";
        await using var traced = new RheiDataSourceBuilder(db.ConnectionString) { Name = "orders-db" }.EnableQueryTextInTraces().Build();
        using var capture = new TelemetryCapture("orders-db");
        await using (var connection = await traced.OpenConnectionAsync())
        await using (var command = new RheiCommand(text, connection))
        {
            command.Parameters.AddWithValue("$id", 2L);
            Assert.Equal("b", await command.ExecuteScalarAsync());
        }

        var span = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal(text, span.GetTagItem("db.query.text"));
        Assert.Equal("orders-db", span.GetTagItem("db.namespace"));
        // Parameter values are never recorded.
        Assert.DoesNotContain(span.Tags, t => t.Key.StartsWith("db.query.parameter", StringComparison.Ordinal));

        // The same database through a data source that did not opt in: no text.
        using var plain = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using (var connection = db.Open())
        await using (var command = new RheiCommand(text, connection))
        {
            command.Parameters.AddWithValue("$id", 2L);
            Assert.Equal("b", await command.ExecuteScalarAsync());
        }

        Assert.Null(Assert.Single(plain.Spans("SELECT")).GetTagItem("db.query.text"));
    }

    [Fact]
    public async Task Failed_command_marks_its_span_as_an_error_with_the_public_exception_type_and_an_event()
    {
        await using var db = await SeededAsync();
        using var capture = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using var connection = db.Open();
        await using var command = new RheiCommand("SELECT * FROM no_such_table", connection);

        var error = await Assert.ThrowsAsync<RheiException>(() => command.ExecuteReaderAsync());

        var span = Assert.Single(capture.Spans("SELECT"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(error.Message, span.StatusDescription);
        Assert.Equal(typeof(RheiException).FullName, span.GetTagItem("error.type"));
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Contains(exception.Tags, t => t.Key == "exception.type" && Equals(t.Value, typeof(RheiException).FullName));
        var duration = Assert.Single(capture.Measurements("db.client.operation.duration"));
        Assert.Equal(typeof(RheiException).FullName, duration.Tag("error.type"));
    }

    [Fact]
    public async Task Batch_has_a_span_of_its_own_around_one_span_per_command()
    {
        await using var db = await SeededAsync();
        using var capture = new TelemetryCapture(db.DataSource.Options.DiagnosticsName);
        await using var connection = db.Open();
        await using var batch = new RheiBatch { Connection = connection };
        batch.BatchCommands.Add(new RheiBatchCommand("INSERT INTO items VALUES (5, 'd', 50)"));
        batch.BatchCommands.Add(new RheiBatchCommand("UPDATE items SET n = 51 WHERE id = 5"));

        Assert.Equal(2, await batch.ExecuteNonQueryAsync());

        var span = Assert.Single(capture.Spans("BATCH"));
        Assert.Equal(2, span.GetTagItem("db.operation.batch.size"));
        Assert.Equal("sqlite", span.GetTagItem("db.system.name"));
        var children = capture.Spans().Where(s => s.ParentSpanId == span.SpanId).Select(s => s.OperationName).Order(StringComparer.Ordinal);
        Assert.Equal(["INSERT", "UPDATE"], children);
    }
}
