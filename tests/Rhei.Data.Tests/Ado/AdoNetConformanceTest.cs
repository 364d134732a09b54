using System.Data;

namespace Rhei.Data.Tests.Ado;

/// <summary>
/// The AdoNetApiTest cases Microsoft.Data.Sqlite passes and Rhei.Data failed, on both engines; each test checks
/// which engine answered.
/// </summary>
public class AdoNetConformanceTest
{
    private static TestDatabase CreateWithRows()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, b BLOB)");
        db.Execute("INSERT INTO t VALUES (1, 10, x'01020304'), (2, 20, NULL)");
        return db;
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task CommandText_and_Connection_cannot_change_while_a_reader_is_open(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var other = db.Open();
        using var command = new RheiCommand("SELECT v FROM t ORDER BY id", connection) { Route = route };
        using (var reader = command.ExecuteReader())
        {
            Assert.Equal(route, reader.Route);
            Assert.Throws<InvalidOperationException>(() => command.CommandText = "SELECT 2");
            Assert.Throws<InvalidOperationException>(() => command.Connection = other);
            Assert.Throws<InvalidOperationException>(() => command.Connection = null);
            Assert.Throws<InvalidOperationException>(() => ((System.Data.Common.DbCommand)command).Connection = null);
            Assert.Equal("SELECT v FROM t ORDER BY id", command.CommandText);
            Assert.Same(connection, command.Connection);
        }

        // Closing the reader frees the command again.
        command.CommandText = "SELECT count(*) FROM t";
        Assert.Equal(2L, command.ExecuteScalar());
        command.Connection = other;
        Assert.Same(other, command.Connection);
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Executing_again_while_the_command_has_an_open_reader_throws(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT v FROM t ORDER BY id", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        Assert.Throws<InvalidOperationException>(() => command.ExecuteReader());
        Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar());
        await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteNonQueryAsync());

        // The open reader is untouched by the refused executions.
        Assert.True(reader.Read());
        Assert.Equal(10L, reader.GetInt64(0));
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task GetValues_throws_when_there_is_no_row(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT id, v FROM t WHERE id = 1", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        var values = new object[2];
        Assert.Throws<InvalidOperationException>(() => reader.GetValues(values));
        Assert.True(reader.Read());
        Assert.Equal(2, reader.GetValues(values));
        Assert.Equal([1L, 10L], values);
        Assert.Equal(0, reader.GetValues([]));
        var wide = new object[3];
        Assert.Equal(2, reader.GetValues(wide));
        Assert.Null(wide[2]);
        Assert.False(reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.GetValues(values));
    }

    [Fact]
    public async Task GetValues_throws_after_a_statement_without_rows()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("DELETE FROM t WHERE 0", connection);
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Oltp, reader.Route);
        Assert.Throws<InvalidOperationException>(() => reader.GetValues(new object[1]));
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task GetBytes_and_GetChars_refuse_a_buffer_offset_past_the_buffer(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT b, 'abcd' FROM t WHERE id = 1", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        Assert.True(reader.Read());
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetBytes(0, 0, new byte[4], 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetBytes(0, 0, new byte[4], -1, 4));
        Assert.ThrowsAny<ArgumentException>(() => reader.GetBytes(0, 0, new byte[4], 2, 3));
        Assert.Equal(0, reader.GetBytes(0, 0, new byte[4], 4, 0));
        var buffer = new byte[6];
        Assert.Equal(4, reader.GetBytes(0, 0, buffer, 0, 6));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 0, 0 }, buffer);
        Assert.ThrowsAny<ArgumentException>(() => reader.GetChars(1, 0, new char[4], 5, 0));
        Assert.ThrowsAny<ArgumentException>(() => reader.GetChars(1, 0, new char[4], 2, 3));
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Async_reader_methods_return_a_cancelled_task_for_a_cancelled_token(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT v FROM t ORDER BY id", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        Assert.True(reader.Read());
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var isNull = reader.IsDBNullAsync(0, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => isNull);
        Assert.True(isNull.IsCanceled);
        var read = reader.ReadAsync(cts.Token);
        Assert.True(read.IsCanceled);
        var next = reader.NextResultAsync(cts.Token);
        Assert.True(next.IsCanceled);

        // Nothing moved: the current row is still the first.
        Assert.Equal(10L, reader.GetInt64(0));
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Parameter_whose_value_was_never_set_is_refused(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT count(*) FROM t WHERE v > @min", connection) { Route = route };
        command.Parameters.Add(new RheiParameter { ParameterName = "@min" });
        Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar());
        Assert.Throws<InvalidOperationException>(() => command.ExecuteReader());

        // Null set on purpose binds NULL, as DBNull.Value does.
        command.Parameters[0].Value = null;
        Assert.Equal(0L, command.ExecuteScalar());
        command.Parameters[0].Value = DBNull.Value;
        Assert.Equal(0L, command.ExecuteScalar());
        command.Parameters[0].Value = 15;
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetInt64(0));
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Largest_double_reads_back_exactly(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT 1.79e308, -1.79e308, 4.9e-324 FROM t WHERE id = 1", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(1.79e308, reader.GetDouble(0));
        Assert.Equal(-1.79e308, reader.GetDouble(1));
        Assert.Equal(4.9e-324, reader.GetDouble(2));
    }
}
