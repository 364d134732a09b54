using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Data.Olap;
using Rhei.Data.Sidecar;

namespace Rhei.Data.Tests.Sidecar;

/// <summary>
/// The sidecar mirror writes every CLR type <see cref="SidecarChange"/> names (what a PostgreSQL source hands over)
/// into its DuckDB column without loss, in the copy and in applied changes, and keeps a value an update did not send.
/// A real in-memory DuckDB; the table is what a source's <c>OpenAsync</c> would describe.
/// </summary>
public sealed class SidecarMirrorTypesTest
{
    private static readonly SidecarTable s_table = new(
        "typed",
        [
            new SidecarColumn("id", "int8", "BIGINT", false),
            new SidecarColumn("small", "int4", "INTEGER", true),
            new SidecarColumn("price", "numeric(18,4)", "DECIMAL(18,4)", true),
            new SidecarColumn("huge", "numeric(38,0)", "HUGEINT", true),
            new SidecarColumn("ratio", "float8", "DOUBLE", true),
            new SidecarColumn("flag", "bool", "BOOLEAN", true),
            new SidecarColumn("label", "text", "VARCHAR", true),
            new SidecarColumn("bytes", "bytea", "BLOB", true),
            new SidecarColumn("day", "date", "DATE", true),
            new SidecarColumn("at", "timestamp", "TIMESTAMP", true),
            new SidecarColumn("at_tz", "timestamptz", "TIMESTAMPTZ", true),
            new SidecarColumn("clock", "time", "TIME", true),
            new SidecarColumn("uid", "uuid", "UUID", true),
            new SidecarColumn("numbers", "int4[]", "INTEGER[]", true),
            new SidecarColumn("tags", "text[]", "VARCHAR[]", true),
            new SidecarColumn("doc", "jsonb", "VARCHAR", true),
        ],
        ["id"],
        null,
        null);

    private static object?[] Row(long id, string label) =>
    [
        id, 7, 1234567890.1234m, System.Numerics.BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture),
        0.1, true, label, new byte[] { 0, 1, 255 }, new DateOnly(2024, 2, 29), new DateTime(2024, 2, 29, 13, 14, 15, 123).AddTicks(4560),
        new DateTimeOffset(2024, 2, 29, 13, 14, 15, TimeSpan.FromHours(2)), new TimeOnly(23, 59, 58), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        new[] { 1, 2, 3 }, new[] { "a", "b, \"c\"", "d'e" }, "{\"k\": [1, 2]}",
    ];

    [Theory]
    [InlineData(RheiSyncMode.Destructive)]
    [InlineData(RheiSyncMode.Temporal)]
    public async Task Every_listed_clr_type_is_copied_and_applied_without_loss_and_an_unchanged_value_is_kept(RheiSyncMode mode)
    {
        using var database = DuckDbDatabase.OpenMirror(null);
        using var mirror = new SidecarMirror(database, mode, NullLogger.Instance);
        mirror.Open();
        await mirror.CopyAsync("test", [s_table], sink =>
        {
            var copied = Row(1, "copied");
            copied[7] = new byte[] { 9, 9 };
            copied[13] = new[] { 7, 8 };
            sink.Append(s_table, copied);
            return Task.FromResult(new SidecarPosition("p1"));
        });

        var update = Row(1, "updated");
        update[7] = SidecarUnchangedValue.Instance;
        update[13] = SidecarUnchangedValue.Instance;
        var changes = new List<SidecarChange>
        {
            new(SidecarChangeKind.Upsert, "typed", [1L], update, DateTimeOffset.FromUnixTimeMilliseconds(5000)),
            new(SidecarChangeKind.Upsert, "typed", [2L], Row(2, "new"), DateTimeOffset.FromUnixTimeMilliseconds(5000)),
        };
        var applied = mirror.Apply("test", new SidecarBatch(changes, new SidecarPosition("p2"), []), new HashSet<string>());
        Assert.Equal((2L, 1L, 1L), (applied.EventsProcessed, applied.RowsInserted, applied.RowsUpdated));

        using var session = database.Connect();
        var current = mode == RheiSyncMode.Temporal ? " WHERE _rhei_valid_to IS NULL" : string.Empty;
        using var reader = session.Query(
            "SELECT id, small, price::VARCHAR, huge::VARCHAR, ratio, flag, label, hex(bytes), \"day\"::VARCHAR, \"at\"::VARCHAR, epoch_ms(at_tz), clock::VARCHAR, uid::VARCHAR, numbers::VARCHAR, tags[2], len(tags), doc FROM typed" + current + " ORDER BY id");
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetNativeValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        // Row 1's bytes and numbers were not sent by the update: the copied values stay.
        var tail = "7|1234567890.1234|123456789012345678901234567890|0.1|True|{0}|{1}|2024-02-29|2024-02-29 13:14:15.123456|1709205255000|23:59:58|0f8fad5b-d9cb-469f-a165-70867728950e|{2}|b, \"c\"|3|{{\"k\": [1, 2]}}";
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal([$"1|{string.Format(inv, tail, "updated", "0909", "[7, 8]")}", $"2|{string.Format(inv, tail, "new", "0001FF", "[1, 2, 3]")}"], rows);
    }
}
