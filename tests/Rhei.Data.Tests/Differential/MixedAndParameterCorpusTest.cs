namespace Rhei.Data.Tests.Differential;

/// <summary>
/// Mixed-type columns (NUMERIC affinity mirrored as DOUBLE; an untyped column the mirror quarantines) and
/// parameters in every style SQLite accepts: @p, :p, $p, ? and ?NNN.
/// </summary>
public sealed class MixedAndParameterCorpusTest(DifferentialDatabase db) : IClassFixture<DifferentialDatabase>
{
    /// <summary>
    /// Queries over the quarantined tables: mix (no declared type, every storage class) and numr (NUMERIC holding INTEGERs,
    /// which a DOUBLE mirror column would hand back as doubles: 3 / 2 would be 1.5). Auto must answer from SQLite.
    /// </summary>
    public static TheoryData<string> QuarantinedQueries => new()
    {
        "SELECT id, v FROM numr ORDER BY id",
        "SELECT id, v + 1, v * 2, v / 2 FROM numr ORDER BY id",
        "SELECT sum(v), count(v), min(v), max(v) FROM numr",
        "SELECT id, v || '' FROM numr ORDER BY id",
        "SELECT v FROM numr ORDER BY v",
        "SELECT id, v FROM mix ORDER BY id",
        "SELECT v FROM mix ORDER BY v",
        "SELECT min(v), max(v), count(v), sum(v) FROM mix",
        "SELECT count(*), group_concat(v) FROM mix",
        "SELECT m.id, n.t FROM mix m JOIN n ON n.id = m.id ORDER BY m.id",
        "SELECT v, count(*) FROM mix GROUP BY v ORDER BY v",
    };

    public static TheoryData<string, string, object?, Expect> ParameterQueries => new()
    {
        { "SELECT count(*) FROM n WHERE i > @p", "@p", 0L, Expect.Same },
        { "SELECT count(*) FROM n WHERE i > :p", ":p", -5L, Expect.Same },
        { "SELECT count(*) FROM n WHERE i > $p", "$p", 5L, Expect.Same },
        { "SELECT count(*) FROM n WHERE t = @p", "@p", "é", Expect.Same },
        { "SELECT count(*) FROM n WHERE t = @p", "@p", "", Expect.Same },
        { "SELECT count(*) FROM n WHERE t IS @p", "@p", null, Expect.Same },
        { "SELECT count(*) FROM n WHERE t = @p", "@p", null, Expect.Same },
        { "SELECT count(*) FROM n WHERE r > @p", "@p", 0.5, Expect.Same },
        { "SELECT count(*) FROM n WHERE r > @p", "@p", 1L, Expect.Same },
        { "SELECT count(*) FROM n WHERE i = @p", "@p", 9007199254740993L, Expect.Same },
        { "SELECT count(*) FROM n WHERE i < @p", "@p", long.MinValue, Expect.Same },
        { "SELECT count(*) FROM n WHERE b = @p", "@p", new byte[] { 0x61, 0x62, 0x63 }, Expect.Same },
        { "SELECT g, count(*) FROM n WHERE t LIKE @p GROUP BY g ORDER BY g", "@p", "A%", Expect.Same },
        { "SELECT g, count(*) FROM n WHERE t LIKE @p GROUP BY g ORDER BY g", "@p", "%É%", Expect.Same },
        { "SELECT id FROM n WHERE id > 0 GROUP BY id ORDER BY id LIMIT @p", "@p", 3L, Expect.Same },
        { "SELECT id FROM n WHERE id > 0 GROUP BY id ORDER BY id LIMIT 2 OFFSET @p", "@p", 4L, Expect.Same },
        { "SELECT id FROM n WHERE id > 0 GROUP BY id ORDER BY id LIMIT @p", "@p", -1L, Expect.Fallback },
        { "SELECT sum(i) + @p FROM n WHERE abs(i) < 1000", "@p", 1.5, Expect.Same },
        { "SELECT sum(i) * @p FROM n WHERE abs(i) < 1000", "@p", 2L, Expect.Same },
        { "SELECT count(*), @p FROM n", "@p", "ünï", Expect.Same },
        { "SELECT count(*), @p FROM n", "@p", new byte[] { 0, 255 }, Expect.Same },
        { "SELECT count(*) FROM n WHERE @p IS NULL OR i = @p", "@p", null, Expect.Same },
        { "SELECT count(*) FROM n WHERE @p IS NULL OR i = @p", "@p", 42L, Expect.Same },
        { "SELECT count(*) FROM n WHERE i > ?", "?1", 0L, Expect.Same },
        { "SELECT count(*) FROM n WHERE i > ?1 AND i < ?1 + 10", "?1", 0L, Expect.Same },
        { "SELECT count(*) FROM ev WHERE date(d) = @p", "@p", "2024-02-29", Expect.Same },
        { "SELECT count(*) FROM ev WHERE d > @p", "@p", "2024", Expect.Same },
        { "SELECT count(*), sum(i) FROM n WHERE g = @p", "@p", "a", Expect.Same },
        { "SELECT count(*) FROM n WHERE i / @p = 1", "@p", 2L, Expect.Same },
        { "SELECT count(*) FROM n WHERE i % @p = -1", "@p", 3L, Expect.Refused },
        { "SELECT count(*) FROM n WHERE upper(t) = @p", "@p", "ABC", Expect.Same },
        { "SELECT count(*) FROM n WHERE substr(t, @p) = 'bc'", "@p", 2L, Expect.Same },
    };

    [Theory]
    [MemberData(nameof(ParameterQueries))]
    public void Parameters_agree(string sql, string name, object? value, Expect expect) => Differ.AssertSame(db.DataSource, sql, expect, (name, value));

    [Fact]
    public void Every_parameter_style_binds_the_same()
    {
        const string body = "SELECT g, count(*), sum(i) FROM n WHERE i > {0} AND t <> {1} GROUP BY g ORDER BY g";
        Differ.AssertSame(db.DataSource, string.Format(System.Globalization.CultureInfo.InvariantCulture, body, "@a", "@b"), Expect.Same, ("@a", -5L), ("@b", "abc"));
        Differ.AssertSame(db.DataSource, string.Format(System.Globalization.CultureInfo.InvariantCulture, body, ":a", ":b"), Expect.Same, (":a", -5L), (":b", "abc"));
        Differ.AssertSame(db.DataSource, string.Format(System.Globalization.CultureInfo.InvariantCulture, body, "$a", "$b"), Expect.Same, ("$a", -5L), ("$b", "abc"));
        Differ.AssertSame(db.DataSource, string.Format(System.Globalization.CultureInfo.InvariantCulture, body, "?", "?"), Expect.Same, ("?1", -5L), ("?2", "abc"));
        Differ.AssertSame(db.DataSource, string.Format(System.Globalization.CultureInfo.InvariantCulture, body, "?2", "?1"), Expect.Same, ("?1", "abc"), ("?2", -5L));
    }

    [Theory]
    [MemberData(nameof(QuarantinedQueries))]
    public void Quarantined_table_is_answered_by_sqlite(string sql)
    {
        using var connection = db.DataSource.OpenConnection();
        using var auto = new RheiCommand(sql, connection);
        var explanation = auto.ExplainRoute();
        Assert.Equal(RheiRoute.Oltp, explanation.Target);
        Assert.Contains("quarantined", explanation.Reason, StringComparison.Ordinal);
        using var sqlite = new RheiCommand(sql, connection) { Route = RheiRoute.Oltp };
        Assert.Equal(Rows(sqlite), Rows(auto));
    }

    [Fact]
    public async Task Mixed_type_columns_quarantine_their_tables_only()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var status = await connection.GetSyncStatusAsync();
        string[] quarantined = ["mix", "numr"];
        Assert.All(status.Tables, t => Assert.Equal(quarantined.Contains(t.Table), t.State == RheiTableSyncState.Quarantined));
    }

    private static List<string> Rows(RheiCommand command)
    {
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Oltp, reader.Route);
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(string.Join("|", values.Select(v => v is byte[] b ? Convert.ToHexString(b) : $"{v.GetType().Name}:{Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)}")));
        }

        return rows;
    }
}
