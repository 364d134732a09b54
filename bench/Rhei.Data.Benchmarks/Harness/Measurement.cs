namespace Rhei.Data.Benchmarks.Harness;

/// <summary>
/// One figure of the report. <see cref="Ratio"/> is computed by the scenario because its direction differs
/// (throughput: rhei ÷ baseline; speed-up: baseline time ÷ rhei time); <see cref="Target"/> applies to the
/// ratio when there is one, otherwise to <see cref="Value"/>.
/// </summary>
internal sealed record Measurement(
    string Group,
    string Name,
    long Rows,
    string Unit,
    double Value,
    double? Baseline = null,
    string? BaselineName = null,
    double? Ratio = null,
    Target? Target = null,
    string? Note = null)
{
    public bool? Met => Target is { } target ? target.IsMet(Ratio ?? Value) : null;
}
