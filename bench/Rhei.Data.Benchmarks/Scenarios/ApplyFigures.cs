namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>The two syncs of one apply measurement: after the inserts, then after the updates of every row.</summary>
internal sealed record ApplyFigures(TimedSync Insert, TimedSync Update)
{
    /// <summary>The faster of two rounds, per sync.</summary>
    public static ApplyFigures Best(ApplyFigures a, ApplyFigures b)
        => new(a.Insert.Rate >= b.Insert.Rate ? a.Insert : b.Insert, a.Update.Rate >= b.Update.Rate ? a.Update : b.Update);
}
