namespace Rhei.Data.Benchmarks.Harness;

/// <summary>The order in which interleaved sides run in one round of a best-of-N comparison.</summary>
internal static class Order
{
    /// <summary>
    /// The side to run <paramref name="k"/>-th in round <paramref name="round"/> of <paramref name="sides"/>: rotated each
    /// round, forwards on even rounds and backwards on odd ones. A rotation alone keeps the cyclic order, so each side
    /// would always follow the same one (Auto right after a DuckDB side whose worker threads still hold the cores, and
    /// SQLite forced always after Auto); running backwards every other round makes each side follow both neighbours.
    /// </summary>
    public static int Side(int round, int k, int sides)
        => round % 2 == 0 ? (k + round) % sides : (sides - 1 - k + round) % sides;
}
