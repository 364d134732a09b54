using System.Globalization;
namespace Rhei.Data.Tests.Olap;

/// <summary>
/// <c>Olap Memory Limit</c> (DuckDB's <c>memory_limit</c>) and where the locked-down mirror may spill: beside its
/// file for a durable mirror, in a directory of its own (removed with the engine) for an in-memory one.
/// </summary>
public sealed class OlapMemoryLimitTest
{
    [Theory]
    [InlineData("512")]
    [InlineData("lots")]
    [InlineData("0MB")]
    [InlineData("-1GB")]
    [InlineData("1MB")]
    [InlineData("1.5.2GB")]
    [InlineData("2 GB extra")]
    [InlineData("80%")]
    [InlineData("99999999999999999999TB")]
    public void A_bad_value_is_refused_with_the_key_named(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new RheiConnectionStringBuilder($"Data Source=x.db;Olap Memory Limit={value}"));

        Assert.Equal("Olap Memory Limit", error.ParamName);
        Assert.Contains("'Olap Memory Limit'", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("512MB", 512_000_000L)]
    [InlineData("256MiB", 256L * 1024 * 1024)]
    [InlineData(" 1.5 GiB ", 1536L * 1024 * 1024)]
    [InlineData("2gb", 2_000_000_000L)]
    [InlineData("16777216B", 16L * 1024 * 1024)]
    public void A_size_with_a_unit_is_read_in_bytes(string value, long bytes)
    {
        var builder = new RheiConnectionStringBuilder($"Data Source=x.db;OlapMemoryLimit={value}");

        Assert.Equal(value.Trim(), builder.OlapMemoryLimit);
        Assert.Equal(bytes, RheiOptions.From(builder).OlapMemoryLimit);
    }

    [Fact]
    public void Without_the_key_DuckDB_keeps_its_own_default()
    {
        var builder = new RheiConnectionStringBuilder("Data Source=x.db");

        Assert.Equal(string.Empty, builder.OlapMemoryLimit);
        Assert.Null(RheiOptions.From(builder).OlapMemoryLimit);
    }

    [Fact]
    public async Task The_limit_is_DuckDBs_memory_limit_and_SQL_cannot_raise_it()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Olap Memory Limit=256MiB");
        await using var connection = db.Open();

        Assert.Equal(256L * 1024 * 1024, await MemoryLimitBytesAsync(connection));
        await using var raise = new RheiCommand("SET memory_limit = '8GB'", connection) { Route = RheiRoute.Olap };
        await Assert.ThrowsAsync<RheiException>(() => raise.ExecuteNonQueryAsync());
        Assert.Equal(256L * 1024 * 1024, await MemoryLimitBytesAsync(connection));
    }

    [Fact]
    public async Task A_durable_mirror_spills_beside_its_file_and_may_reach_only_that_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var mirror = Path.Combine(directory, "mirror.duckdb");
            await using var dataSource = RheiDataSource.Create($"Data Source={Path.Combine(directory, "app.db")};Olap Path={mirror};Olap Memory Limit=64MiB;Sync Interval=0");
            await using var connection = await dataSource.OpenConnectionAsync();

            Assert.Equal(mirror + ".tmp", await SettingAsync(connection, "temp_directory"));
            Assert.Equal(mirror + ".tmp" + Path.DirectorySeparatorChar, Assert.Single(ListSetting(await SettingAsync(connection, "allowed_directories"))));
            Assert.Equal(64L * 1024 * 1024, await MemoryLimitBytesAsync(connection));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_in_memory_mirror_spills_into_a_directory_of_its_own_removed_with_the_engine()
    {
        string temp;
        await using (var db = TestDatabase.Create())
        {
            await using var connection = db.Open();
            temp = await SettingAsync(connection, "temp_directory");

            // Not DuckDB's default (".tmp" in the working directory, shared by every process started there).
            Assert.Equal(Path.GetFullPath(Path.GetTempPath()), Path.GetFullPath(Path.GetDirectoryName(temp)!) + Path.DirectorySeparatorChar);
            Assert.StartsWith("rhei-duckdb-", Path.GetFileName(temp), StringComparison.Ordinal);
            Assert.Equal(temp + Path.DirectorySeparatorChar, Assert.Single(ListSetting(await SettingAsync(connection, "allowed_directories"))));

            // Something in it, as a spill or an export would leave: the engine's disposal removes it all the same.
            Directory.CreateDirectory(temp);
            await File.WriteAllTextAsync(Path.Combine(temp, "left-behind.tmp"), "spill");
        }

        Assert.False(Directory.Exists(temp));
    }

    [Fact]
    public async Task A_durable_mirror_under_a_small_limit_loads_a_table_larger_than_the_limit()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var app = Path.Combine(directory, "app.db");
            await using (var setup = new RheiConnection($"Data Source={app};Olap=None"))
            {
                await setup.OpenAsync();
                await using var fill = new RheiCommand(
                    "CREATE TABLE wide (id INTEGER PRIMARY KEY, note TEXT NOT NULL);"
                    + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) INSERT INTO wide SELECT i, printf('%0100d', i) FROM n",
                    setup);
                await fill.ExecuteNonQueryAsync();
            }

            // About 35 MB of text against a 16 MiB limit: the rows go to the file, not to memory.
            await using var dataSource = RheiDataSource.Create($"Data Source={app};Olap Path={Path.Combine(directory, "mirror.duckdb")};Olap Memory Limit=16MiB;Sync Interval=0");
            await using var connection = await dataSource.OpenConnectionAsync();
            Assert.Equal(300_000, await connection.InitialSyncAsync("wide"));
            await using var count = new RheiCommand("SELECT count(*), sum(length(note)) FROM wide", connection) { Route = RheiRoute.Olap };
            await using var reader = await count.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(300_000L, reader.GetInt64(0));
            Assert.Equal(30_000_000L, reader.GetInt64(1));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<long> MemoryLimitBytesAsync(RheiConnection connection)
    {
        // duckdb_settings() shows the limit rounded ("256.0 MiB"); the exact bytes are its value in a cast.
        await using var command = new RheiCommand("SELECT current_setting('memory_limit')", connection) { Route = RheiRoute.Olap };
        var shown = (string)(await command.ExecuteScalarAsync())!;
        await using var settings = new RheiCommand("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'", connection) { Route = RheiRoute.Olap };
        Assert.Equal(shown, (string)(await settings.ExecuteScalarAsync())!);
        return ParseShown(shown);
    }

    private static long ParseShown(string shown)
    {
        var parts = shown.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var amount = decimal.Parse(parts[0], CultureInfo.InvariantCulture);
        var unit = parts[1] switch
        {
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            "KB" => 1_000L,
            "MB" => 1_000_000L,
            "GB" => 1_000_000_000L,
            _ => 1L,
        };
        return (long)(amount * unit);
    }

    private static async Task<string> SettingAsync(RheiConnection connection, string name)
    {
        await using var command = new RheiCommand($"SELECT current_setting('{name}')::VARCHAR", connection) { Route = RheiRoute.Olap };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string[] ListSetting(string text)
        => text.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item => item.Trim('\'')).ToArray();
}
