namespace Rhei.EntityFrameworkCore.Tests.Model;

/// <summary>Owned by <see cref="Customer"/>: stored as columns of the Customers table.</summary>
public sealed class Address
{
    public string Street { get; set; } = string.Empty;

    public string City { get; set; } = string.Empty;
}
