namespace Rhei.EntityFrameworkCore.Tests.Model;

/// <summary>Many-to-many with <see cref="Product"/> through an implicit join table.</summary>
public sealed class Category
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public List<Product> Products { get; } = [];
}
