namespace Rhei.EntityFrameworkCore.Sample;

public sealed class Sale
{
    public int Id { get; set; }

    public int StoreId { get; set; }

    public Store? Store { get; set; }

    public string Product { get; set; } = string.Empty;

    public int Quantity { get; set; }

    /// <summary>Whole cents: an INTEGER column aggregates natively on both engines (a decimal would need EF's ef_* functions, which only SQLite has).</summary>
    public long AmountCents { get; set; }

    public DateTime SoldAt { get; set; }
}
