namespace Rhei.Data.Tests;

public class SmokeTest
{
    [Fact]
    public void Route_has_three_values() => Assert.Equal(3, Enum.GetValues<RheiRoute>().Length);
}
