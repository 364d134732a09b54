namespace Rhei.Data.Tests;

/// <summary>The first promise end to end: one connection string, a write on SQLite, the same answer from each engine.</summary>
public class SmokeTest
{
    [Fact]
    public async Task Write_then_read_back_the_same_answer_from_each_engine()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        using (var create = new RheiCommand("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, score REAL)", connection))
        {
            create.ExecuteNonQuery();
        }

        using (var insert = new RheiCommand("INSERT INTO notes VALUES (1, 'first', 1.5), (2, 'second', 2.25)", connection))
        {
            Assert.Equal(2, insert.ExecuteNonQuery());
        }

        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            using var read = new RheiCommand("SELECT count(*), min(body), sum(score) FROM notes", connection) { Route = route };
            using var reader = read.ExecuteReader();
            Assert.Equal(route, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(2L, reader.GetValue(0));
            Assert.Equal("first", reader.GetValue(1));
            Assert.Equal(3.75, reader.GetValue(2));
            Assert.False(reader.Read());
        }
    }
}
