namespace Rhei.EntityFrameworkCore.Tests.Model;

public sealed class Order
{
    public int Id { get; set; }

    public int CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public DateTime OrderedAt { get; set; }

    public List<OrderLine> Lines { get; } = [];
}
