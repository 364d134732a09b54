namespace Rhei.EntityFrameworkCore.Sample;

public sealed class Store
{
    public int Id { get; set; }

    public string City { get; set; } = string.Empty;

    public List<Sale> Sales { get; } = [];
}
