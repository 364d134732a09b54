namespace Rhei.Data.Sidecar;

/// <summary>Where a sidecar source's initial copy writes rows (the mirror's appender, inside the load's transaction).</summary>
internal interface ISidecarRowSink
{
    /// <summary>Appends one row of <paramref name="table"/>, values in column order, typed as <see cref="SidecarChange"/> says.</summary>
    void Append(SidecarTable table, ReadOnlySpan<object?> values);
}
