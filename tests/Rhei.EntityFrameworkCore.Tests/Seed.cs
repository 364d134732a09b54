using Rhei.EntityFrameworkCore.Tests.Model;

namespace Rhei.EntityFrameworkCore.Tests;

public static class Seed
{
    /// <summary>3 customers, 4 products in 2 categories, 6 orders with 2–3 lines each; deterministic.</summary>
    public static void Commerce(CommerceContext context)
    {
        var books = new Category { Name = "Books" };
        var tools = new Category { Name = "Tools" };
        var products = new[]
        {
            new Product { Name = "Atlas", Price = 19.99m },
            new Product { Name = "Hammer", Price = 7.50m },
            new Product { Name = "Saw", Price = 24.125m },
            new Product { Name = "Novel", Price = 0.10m },
        };
        products[0].Categories.Add(books);
        products[1].Categories.Add(tools);
        products[2].Categories.Add(tools);
        products[3].Categories.Add(books);
        products[3].Categories.Add(tools);

        var customers = new[]
        {
            new Customer { Name = "Ada", Tier = CustomerTier.Gold, Address = new Address { Street = "1 Main", City = "Oslo" } },
            new Customer { Name = "Bo", Tier = CustomerTier.Standard, Address = new Address { Street = "2 Side", City = "Lima" } },
            new Customer { Name = "Cy", Tier = CustomerTier.Silver, Address = new Address { Street = "3 Back", City = "Oslo" } },
        };

        var start = new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 6; i++)
        {
            var order = new Order { Customer = customers[i % 3], OrderedAt = start.AddDays(i * 3).AddHours(i) };
            for (var j = 0; j < 2 + i % 2; j++)
            {
                var product = products[(i + j) % products.Length];
                order.Lines.Add(new OrderLine { Product = product, Quantity = 1 + (i * j) % 4, UnitPrice = product.Price });
            }

            context.Orders.Add(order);
        }

        context.SaveChanges();
    }
}
