using System.Globalization;

namespace Rhei.Data.Benchmarks.Data;

/// <summary>
/// Deterministic TPC-H-like rows (a fixed seed, so every engine and every run gets the same data). Rows are
/// produced as object arrays and written by whichever loader the caller picks.
/// </summary>
internal sealed class TpchGenerator
{
    private static readonly DateOnly s_epoch = new(1992, 1, 1);

    public TpchGenerator(long lineItems) => LineItems = lineItems;

    public long LineItems { get; }

    public long Orders => TpchSchema.OrdersFor(LineItems);

    public long Customers => TpchSchema.CustomersFor(LineItems);

    public IEnumerable<object[]> CustomerRows()
    {
        var random = new Random(1);
        for (long key = 1; key <= Customers; key++)
        {
            yield return
            [
                key,
                "Customer#" + key.ToString("D9", CultureInfo.InvariantCulture),
                (long)random.Next(25),
                Math.Round(random.NextDouble() * 11_000 - 1_000, 2),
                TpchSchema.Segments[random.Next(TpchSchema.Segments.Length)],
            ];
        }
    }

    public IEnumerable<object[]> OrderRows()
    {
        var random = new Random(2);
        for (long key = 1; key <= Orders; key++)
        {
            yield return
            [
                key,
                1 + random.NextInt64(Customers),
                random.Next(3) switch { 0 => "F", 1 => "O", _ => "P" },
                Math.Round(1_000 + random.NextDouble() * 400_000, 2),
                Date(random.Next(2_400)),
                TpchSchema.Priorities[random.Next(TpchSchema.Priorities.Length)],
            ];
        }
    }

    public IEnumerable<object[]> LineItemRows()
    {
        var random = new Random(3);
        var parts = Math.Max(LineItems / 5, 100);
        for (long id = 1; id <= LineItems; id++)
        {
            var quantity = (double)(1 + random.Next(50));
            var ship = random.Next(2_500);
            yield return
            [
                id,
                1 + (id - 1) % Orders,
                1 + random.NextInt64(parts),
                1 + (long)random.Next(1_000),
                quantity,
                Math.Round(quantity * (900 + random.NextDouble() * 1_100), 2),
                random.Next(11) / 100.0,
                random.Next(9) / 100.0,
                ship > 1_600 ? "N" : random.Next(2) == 0 ? "R" : "A",
                ship > 1_800 ? "O" : "F",
                Date(ship),
            ];
        }
    }

    private static string Date(int days) => s_epoch.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
