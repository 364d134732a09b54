using Rhei.Data.Olap;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

/// <summary>
/// One consistent read of a change source for an initial (or repair) load: every table copied from it is as of
/// <see cref="Position"/>, so changes after that position apply exactly once on top.
/// </summary>
internal interface IChangeSourceSnapshot : IDisposable
{
    /// <summary>The position the snapshot stands at.</summary>
    long Position { get; }

    /// <summary>Copies a table's rows into the mirror session (inside the mirror's transaction); returns how many.</summary>
    long CopyTable(DuckDbSession target, TableSchema schema, Action<long>? progress, CancellationToken ct);

    /// <summary>Ends the snapshot after every table was copied.</summary>
    void Complete();
}
