namespace Rhei.EntityFrameworkCore.Tests.Migrations;

public sealed class Note
{
    public int Id { get; set; }

    public string Title { get; set; } = string.Empty;

    public int Stars { get; set; }
}
