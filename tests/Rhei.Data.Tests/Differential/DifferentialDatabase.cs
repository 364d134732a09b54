namespace Rhei.Data.Tests.Differential;

/// <summary>
/// One SQLite file with its DuckDB mirror, filled through <see cref="RheiCommand"/> inserts with the values
/// engines disagree about: NULLs everywhere, zero and negatives, 2^53+1 and Int64's extremes, -0.5, 1e300 and
/// many-digit reals, '' and unicode text, text dates with fractional seconds, blobs, and a mixed-type column.
/// Created once per test class (<see cref="IClassFixture{TFixture}"/>); the sync loop is off and Strong
/// freshness brings the mirror up to date before each DuckDB read.
/// </summary>
public sealed class DifferentialDatabase : IDisposable
{
    private static readonly string[] s_schema =
    [
        "CREATE TABLE n (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, g TEXT, b BLOB)",
        "CREATE TABLE big (id INTEGER PRIMARY KEY, v INTEGER)",
        "CREATE TABLE w (id INTEGER PRIMARY KEY, s TEXT)",
        "CREATE TABLE ev (id INTEGER PRIMARY KEY, d TEXT, ts INTEGER)",
        "CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE TABLE emp (id INTEGER PRIMARY KEY, dept_id INTEGER, name TEXT, salary INTEGER, bonus REAL, hired TEXT, mgr INTEGER)",
        // NUMERIC affinity over integers and reals only: the mirror holds it as DOUBLE.
        "CREATE TABLE numr (id INTEGER PRIMARY KEY, v NUMERIC)",
        // No declared type, holding every storage class: the mirror cannot hold it and quarantines the table.
        "CREATE TABLE mix (id INTEGER PRIMARY KEY, v)",
    ];

    private static readonly string[] s_data =
    [
        "INSERT INTO n VALUES (1, 0, 0.0, '', 'a', x'')",
        "INSERT INTO n VALUES (2, 1, 1.5, 'abc', 'a', x'00')",
        "INSERT INTO n VALUES (3, -1, -0.5, 'ABC', 'b', x'ff00')",
        "INSERT INTO n VALUES (4, 9007199254740993, 1e300, 'é', 'b', NULL)",
        "INSERT INTO n VALUES (5, 9007199254740992, 3.141592653589793, 'Ω', 'c', x'616263')",
        "INSERT INTO n VALUES (6, -9007199254740993, -2.5, '😀', 'c', x'01')",
        "INSERT INTO n VALUES (7, NULL, NULL, NULL, NULL, NULL)",
        "INSERT INTO n VALUES (8, 42, 0.1, 'ß', 'a', x'7a')",
        "INSERT INTO n VALUES (9, -7, 2.5, 'İstanbul', NULL, x'00ff')",
        "INSERT INTO n VALUES (10, 7, -1e-10, '100%', 'b', NULL)",
        "INSERT INTO n VALUES (11, 3, 123456789.12345679, 'a_b', 'c', x'0102')",
        "INSERT INTO n VALUES (12, -3, 1e16, 'Zebra', 'a', NULL)",
        "INSERT INTO n VALUES (13, 100, 0.5, 'zebra', 'b', x'ff')",
        "INSERT INTO n VALUES (14, NULL, 7.0, '  padded  ', 'c', NULL)",
        "INSERT INTO n VALUES (15, 2, NULL, '12abc', 'a', x'3132')",
        "INSERT INTO n VALUES (16, 5, -7.25, '3.5e2', NULL, NULL)",
        "INSERT INTO n VALUES (17, -100, 1.0000000000000002, ' -42 ', 'c', x'')",
        "INSERT INTO n VALUES (18, 10, 2.675, 'abc', 'b', x'00')",
        "INSERT INTO big VALUES (1, 9223372036854775807), (2, -9223372036854775808), (3, 1), (4, -1), (5, NULL), (6, 4611686018427387904), (7, 4611686018427387904)",
        "INSERT INTO w VALUES (1, 'apple'), (2, 'Apple'), (3, 'APPLE'), (4, 'banana'), (5, 'Éclair'), (6, 'éclair'), (7, 'ébène'), (8, 'zoo'), (9, 'Zoo')",
        "INSERT INTO w VALUES (10, '_under'), (11, '%pct'), (12, 'a%b'), (13, 'a_b'), (14, 'ab'), (15, ''), (16, NULL), (17, 'straße'), (18, 'STRASSE')",
        "INSERT INTO w VALUES (19, 'İ'), (20, 'i'), (21, 'ı'), (22, 'Ω'), (23, 'ω'), (24, '😀'), (25, 'a😀b'), (26, 'axb'), (27, '10'), (28, '9'), (29, ' lead'), (30, 'trail ')",
        "INSERT INTO ev VALUES (1, '2024-02-29 13:45:00', 1709214300), (2, '2023-12-31', 0), (3, '2024-01-15 08:30:15.250', -86400), (4, '2000-01-01T00:00:00', NULL)",
        "INSERT INTO ev VALUES (5, NULL, 1700000000), (6, '', 86399), (7, 'not a date', 951782400), (8, '2024-03-10 23:59:59.999', 1234567890)",
        "INSERT INTO ev VALUES (9, '1999-12-31 23:59:59', 2147483647), (10, '2024-12-31 00:00:00', 1704067199), (11, '2023-01-01 12:00', 1)",
        "INSERT INTO dept VALUES (1, 'Engineering'), (2, 'Sales'), (3, 'Ünïcödé'), (4, NULL), (5, 'Empty')",
        "INSERT INTO emp VALUES (1, 1, 'Ada', 120000, 1500.5, '2020-01-15', NULL), (2, 1, 'Bob', 95000, NULL, '2021-06-01 09:00:00', 1)",
        "INSERT INTO emp VALUES (3, 2, 'Cé', 70000, 250.25, '2019-11-30', 1), (4, 2, 'dan', 70000, 0.0, '2024-02-29', 3), (5, 3, 'Éve', -5, -1.5, NULL, 3)",
        "INSERT INTO emp VALUES (6, NULL, 'Fay', NULL, 99.99, '2022-07-04', NULL), (7, 9, 'Gus', 50000, 1e-3, '2023-03-15 17:30:00', 2), (8, 1, '', 0, NULL, '', 1)",
        "INSERT INTO emp VALUES (9, 3, NULL, 88000, 1.1, '2018-08-08', 5), (10, 2, 'ada', 120000, 1500.5, '2020-01-15', 3)",
        "INSERT INTO numr VALUES (1, 1), (2, 2.5), (3, '3'), (4, -4), (5, NULL), (6, 0.1)",
        "INSERT INTO mix VALUES (1, 1), (2, 2.5), (3, 'text'), (4, x'01'), (5, NULL), (6, -3), (7, '10')",
    ];

    private readonly string _directory;

    public DifferentialDatabase()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rhei-tests", "diff-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        DataSource = RheiDataSource.Create($"Data Source={Path.Combine(_directory, "corpus.db")};Sync Interval=0");
        using var connection = DataSource.OpenConnection();
        foreach (var sql in s_schema.Concat(s_data))
        {
            using var command = new RheiCommand(sql, connection);
            command.ExecuteNonQuery();
        }

        connection.SyncAsync().GetAwaiter().GetResult();
    }

    public RheiDataSource DataSource { get; }

    public void Dispose()
    {
        DataSource.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
