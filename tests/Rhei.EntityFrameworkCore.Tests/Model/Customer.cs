namespace Rhei.EntityFrameworkCore.Tests.Model;

public sealed class Customer
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public CustomerTier Tier { get; set; }

    public Address Address { get; set; } = new();

    public List<Order> Orders { get; } = [];
}
