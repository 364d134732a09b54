namespace Rhei.Data.Tests.Differential;

/// <summary>date()/time()/datetime()/strftime()/julianday()/unixepoch() over TEXT dates and unix seconds.</summary>
public sealed class DateCorpusTest(DifferentialDatabase db) : IClassFixture<DifferentialDatabase>
{
    public static TheoryData<string, Expect> Queries => new()
    {
        { "SELECT id, date(d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, time(d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, datetime(d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%Y', d), strftime('%m', d), strftime('%d', d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%H:%M:%S', d), strftime('%j', d), strftime('%w', d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%W', d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%f', d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%Y-%m-%dT%H:%M:%f', d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%s', d) FROM ev ORDER BY id", Expect.Refused },
        { "SELECT id, julianday(d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, unixepoch(d) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, date(d, '+1 day'), date(d, '-1 day') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, datetime(d, '+36 hours'), datetime(d, '-90 minutes'), datetime(d, '+30 seconds') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, date(d, 'start of month'), date(d, 'start of year'), datetime(d, 'start of day') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, date(d, 'start of month', '+1 day') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, date(d, '+1 month') FROM ev ORDER BY id", Expect.Refused },
        { "SELECT id, date(d, '+1 year') FROM ev ORDER BY id", Expect.Refused },
        { "SELECT id, date(d, 'weekday 0') FROM ev ORDER BY id", Expect.Refused },
        { "SELECT id, date(d, 'localtime') FROM ev ORDER BY id", Expect.Refused },
        { "SELECT date('now')", Expect.Refused },
        { "SELECT id, datetime(ts, 'unixepoch') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, date(ts, 'unixepoch'), time(ts, 'unixepoch') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%Y-%m', ts, 'unixepoch') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, datetime(ts, 'unixepoch', '+1 day') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, unixepoch(datetime(ts, 'unixepoch')) FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, julianday(d) - julianday('2000-01-01') FROM ev ORDER BY id", Expect.Same },
        { "SELECT strftime('%Y', d) AS y, count(*) FROM ev GROUP BY y ORDER BY y", Expect.Same },
        { "SELECT date(hired), count(*) FROM emp GROUP BY date(hired) ORDER BY 1", Expect.Same },
        { "SELECT id FROM ev WHERE d >= '2024-01-01' AND d < '2024-03-01' ORDER BY id", Expect.Same },
        { "SELECT id FROM ev WHERE date(d) BETWEEN '2023-12-31' AND '2024-02-29' ORDER BY id", Expect.Same },
        { "SELECT id, d FROM ev ORDER BY d, id", Expect.Same },
        { "SELECT max(d), min(d) FROM ev", Expect.Same },
        { "SELECT date('2024-02-29'), date('2024-02-30'), date('2023-02-29'), datetime('2024-02-29 24:00:00')", Expect.Fallback },
        { "SELECT date('2024-02-29 13:45'), time('13:45'), datetime('2024-02-29T13:45:00Z'), datetime('2024-02-29 13:45:00+02:00')", Expect.Fallback },
        { "SELECT date(2460000.5), datetime(0), date('')", Expect.Fallback },
        { "SELECT id, date(d, '+0 days') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, strftime('%Y-%m-%d %H:%M:%S', d, '+1 second') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, time(d, '+12 hours') FROM ev ORDER BY id", Expect.Same },
        { "SELECT id, date(d, '+1.5 days') FROM ev ORDER BY id", Expect.Refused },
        { "SELECT id, datetime(d, '+1 day', '-1 second') FROM ev ORDER BY id", Expect.Same },
        { "SELECT date('2024-02-29'), datetime('2024-02-29T13:45:00Z'), datetime('2024-02-29 13:45'), strftime('%H:%M:%f', '2024-02-29 13:45:07.5')", Expect.Same },
        { "SELECT id, date(ts) FROM ev ORDER BY id", Expect.Fallback },
        { "SELECT id, date(d) FROM ev WHERE d LIKE '2024%' ORDER BY id", Expect.Same },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Agrees(string sql, Expect expect) => Differ.AssertSame(db.DataSource, sql, expect);
}
