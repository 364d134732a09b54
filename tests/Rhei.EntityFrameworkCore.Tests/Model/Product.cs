namespace Rhei.EntityFrameworkCore.Tests.Model;

public sealed class Product
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public decimal Price { get; set; }

    public List<Category> Categories { get; } = [];
}
