using System.Globalization;

namespace Rhei.Data.Benchmarks.Harness;

/// <summary>A goal from issue 6: the ratio (or, with no baseline, the value) must be at least or at most a bound.</summary>
internal readonly record struct Target(bool AtLeast, double Bound)
{
    public static Target Min(double bound) => new(true, bound);

    public static Target Max(double bound) => new(false, bound);

    public bool IsMet(double value) => AtLeast ? value >= Bound : value <= Bound;

    public override string ToString()
        => (AtLeast ? ">= " : "<= ") + Bound.ToString(Bound >= 1000 ? "N0" : "0.##", CultureInfo.InvariantCulture);
}
