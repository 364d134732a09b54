using Rhei.Data.Sidecar;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>A sink that keeps every row a source's initial copy appends, per table, as copies of the values.</summary>
internal sealed class RecordingRowSink : ISidecarRowSink
{
    public Dictionary<string, List<object?[]>> Rows { get; } = new(StringComparer.Ordinal);

    public void Append(SidecarTable table, ReadOnlySpan<object?> values)
    {
        if (!Rows.TryGetValue(table.Name, out var rows))
        {
            Rows[table.Name] = rows = [];
        }

        rows.Add(values.ToArray());
    }

    public List<object?[]> Of(string table) => Rows.TryGetValue(table, out var rows) ? rows : [];
}
