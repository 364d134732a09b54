using System.Data;
using Rhei.Data.Schema;

namespace Rhei.Data;

public sealed partial class RheiConnection
{
    /// <summary>
    /// Returns the <c>MetaDataCollections</c> collection: the names of the schema collections this provider offers.
    /// </summary>
    public override DataTable GetSchema() => GetSchema(RheiSchemaCollections.MetaDataCollections, null);

    /// <summary>
    /// Returns a schema collection: <c>MetaDataCollections</c>, <c>DataSourceInformation</c>, <c>DataTypes</c>,
    /// <c>Restrictions</c>, <c>ReservedWords</c>, <c>Tables</c>, <c>Columns</c>, <c>Views</c>, <c>Indexes</c>,
    /// <c>IndexColumns</c> or <c>ForeignKeys</c>. Read live from SQLite, the system of record; Rhei's own tables are left out.
    /// </summary>
    /// <exception cref="ArgumentException">The collection is unknown.</exception>
    public override DataTable GetSchema(string collectionName) => GetSchema(collectionName, null);

    /// <summary>
    /// Returns a schema collection filtered by restrictions (see the <c>Restrictions</c> collection for their order);
    /// a null or empty restriction matches everything. Names compare without regard to case, as SQLite's do.
    /// </summary>
    /// <exception cref="ArgumentException">The collection is unknown or has fewer restrictions than given.</exception>
    public override DataTable GetSchema(string collectionName, string?[]? restrictionValues)
    {
        ArgumentNullException.ThrowIfNull(collectionName);
        var sqlite = RequireOpen(nameof(GetSchema));
        try
        {
            return RheiSchemaCollections.Get(sqlite, collectionName, restrictionValues, ServerVersion);
        }
        catch (Exception ex) when (RheiException.TryTranslate(ex, out var translated))
        {
            // The collections are read with SQL on SQLite; a failure there names SQLite like any command's.
            throw translated;
        }
    }
}
