using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rhei.Data.Benchmarks.Harness;

/// <summary>Collects the figures of a run and prints them as a table or writes them as JSON.</summary>
internal sealed class Report
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly List<Measurement> _measurements = [];
    private readonly object _gate = new();

    public IReadOnlyList<Measurement> Measurements => _measurements;

    public void Add(Measurement measurement)
    {
        lock (_gate)
        {
            _measurements.Add(measurement);
        }

        // Printed as it comes, so a long run shows progress and a crash keeps what was measured.
        Console.WriteLine($"  {measurement.Group} / {measurement.Name} [{FormatRows(measurement.Rows)}]: {Format(measurement.Value)} {measurement.Unit}"
            + (measurement.Baseline is { } b ? $" vs {Format(b)} ({measurement.BaselineName})" : string.Empty)
            + (measurement.Ratio is { } r ? $" ratio {r.ToString("0.###", CultureInfo.InvariantCulture)}" : string.Empty)
            + (measurement.Note is { } n ? $" — {n}" : string.Empty));
    }

    public string ToMarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| group | scenario | rows | rhei | unit | baseline | ratio | target | met | note |");
        text.AppendLine("|---|---|---:|---:|---|---:|---:|---|---|---|");
        foreach (var m in _measurements)
        {
            text.Append("| ").Append(m.Group)
                .Append(" | ").Append(m.Name)
                .Append(" | ").Append(FormatRows(m.Rows))
                .Append(" | ").Append(Format(m.Value))
                .Append(" | ").Append(m.Unit)
                .Append(" | ").Append(m.Baseline is { } b ? $"{Format(b)} ({m.BaselineName})" : string.Empty)
                .Append(" | ").Append(m.Ratio is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) : string.Empty)
                .Append(" | ").Append(m.Target?.ToString() ?? string.Empty)
                .Append(" | ").Append(m.Met switch { true => "yes", false => "**no**", null => string.Empty })
                .Append(" | ").Append(m.Note ?? string.Empty)
                .AppendLine(" |");
        }

        return text.ToString();
    }

    public void WriteJson(string path, RunOptions options)
    {
        var document = new
        {
            machine = MachineInfo.Describe(),
            quick = options.Quick,
            startedUtc = options.StartedUtc,
            measurements = _measurements.Select(m => new
            {
                m.Group, m.Name, m.Rows, m.Unit, m.Value, m.Baseline, m.BaselineName, m.Ratio,
                target = m.Target?.ToString(), m.Met, m.Note,
            }),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, s_json));
    }

    public static string FormatRows(long rows) => rows switch
    {
        0 => "-",
        >= 1_000_000 when rows % 1_000_000 == 0 => $"{rows / 1_000_000}M",
        >= 1_000 when rows % 1_000 == 0 => $"{rows / 1_000}K",
        _ => rows.ToString(CultureInfo.InvariantCulture),
    };

    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 100_000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.##", CultureInfo.InvariantCulture),
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };
}
