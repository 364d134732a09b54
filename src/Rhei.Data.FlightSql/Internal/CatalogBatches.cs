using System.Data;
using System.Text.RegularExpressions;
using Apache.Arrow;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// The catalog commands' answers, read from SQLite (the system of record) through the connection's public schema
/// collections. Rhei.Data names SQLite's main database as the catalog <c>main</c> and has no database schemas, so
/// <c>db_schema_name</c> is null and <c>CommandGetDbSchemas</c> is empty; Rhei's own tables are never listed.
/// </summary>
internal static class CatalogBatches
{
    public const string Catalog = "main";
    private static readonly string[] s_tableTypes = ["TABLE", "VIEW"];

    public static RecordBatch Catalogs()
    {
        var names = new StringArray.Builder().Append(Catalog).Build();
        return new RecordBatch(FlightSqlSchemas.Catalogs, [names], 1);
    }

    public static RecordBatch DbSchemas()
        => new(FlightSqlSchemas.DbSchemas, [new StringArray.Builder().Build(), new StringArray.Builder().Build()], 0);

    public static RecordBatch TableTypes()
    {
        var types = new StringArray.Builder().AppendRange(s_tableTypes).Build();
        return new RecordBatch(FlightSqlSchemas.TableTypes, [types], s_tableTypes.Length);
    }

    public static async Task<RecordBatch> TablesAsync(RheiConnection connection, CommandGetTables request, CancellationToken cancellationToken)
    {
        var catalog = new StringArray.Builder();
        var schema = new StringArray.Builder();
        var names = new StringArray.Builder();
        var types = new StringArray.Builder();
        var schemas = new BinaryArray.Builder();
        var rows = 0;
        if (CatalogMatches(request.HasCatalog ? request.Catalog : null) && SchemaPatternMatches(request.HasDbSchemaFilterPattern ? request.DbSchemaFilterPattern : null))
        {
            var tablePattern = request.HasTableNameFilterPattern ? LikePattern(request.TableNameFilterPattern) : null;
            var wantedTypes = request.TableTypes.Count == 0 ? null : new HashSet<string>(request.TableTypes, StringComparer.OrdinalIgnoreCase);
            var tables = connection.GetSchema("Tables");
            foreach (var row in tables.Rows.Cast<DataRow>().OrderBy(r => (string)r["TABLE_NAME"], StringComparer.Ordinal))
            {
                var name = (string)row["TABLE_NAME"];
                var type = (string)row["TABLE_TYPE"] == "VIEW" ? "VIEW" : "TABLE";
                if ((tablePattern is not null && !tablePattern.IsMatch(name)) || (wantedTypes is not null && !wantedTypes.Contains(type)))
                {
                    continue;
                }

                catalog.Append(Catalog);
                schema.AppendNull();
                names.Append(name);
                types.Append(type);
                if (request.IncludeSchema)
                {
                    schemas.Append(ArrowSerializationHelpers.SerializeSchema(await TableSchemaAsync(connection, name, cancellationToken).ConfigureAwait(false)).AsSpan());
                }

                rows++;
            }
        }

        IArrowArray[] columns = request.IncludeSchema
            ? [catalog.Build(), schema.Build(), names.Build(), types.Build(), schemas.Build()]
            : [catalog.Build(), schema.Build(), names.Build(), types.Build()];
        return new RecordBatch(request.IncludeSchema ? FlightSqlSchemas.TablesWithSchema : FlightSqlSchemas.Tables, columns, rows);
    }

    public static RecordBatch PrimaryKeys(RheiConnection connection, CommandGetPrimaryKeys request)
    {
        var catalog = new StringArray.Builder();
        var schema = new StringArray.Builder();
        var tables = new StringArray.Builder();
        var columns = new StringArray.Builder();
        var keyNames = new StringArray.Builder();
        var sequences = new Int32Array.Builder();
        var rows = 0;
        if (CatalogMatches(request.HasCatalog ? request.Catalog : null) && (!request.HasDbSchema || request.DbSchema.Length == 0))
        {
            var keyColumns = connection.GetSchema("Columns", [null, null, request.Table, null]).Rows.Cast<DataRow>()
                .Where(r => r["PRIMARY_KEY_ORDINAL"] is int)
                .OrderBy(r => (int)r["PRIMARY_KEY_ORDINAL"]);
            foreach (var row in keyColumns)
            {
                catalog.Append(Catalog);
                schema.AppendNull();
                tables.Append((string)row["TABLE_NAME"]);
                columns.Append((string)row["COLUMN_NAME"]);
                keyNames.AppendNull();
                sequences.Append((int)row["PRIMARY_KEY_ORDINAL"]);
                rows++;
            }
        }

        return new RecordBatch(
            FlightSqlSchemas.PrimaryKeys,
            [catalog.Build(), schema.Build(), tables.Build(), columns.Build(), keyNames.Build(), sequences.Build()],
            rows);
    }

    /// <summary>
    /// A table's Arrow schema as a query of it answers (<c>SELECT *</c> through <c>ExecuteArrowReader</c>): the same
    /// field names and the four storage-class types either engine gives. Asked of DuckDB, whose prepared statement
    /// knows the mirror column types: on SQLite the Arrow path reads Microsoft.Data.Sqlite's GetSchemaTable, which
    /// scans the whole table once per column (<c>SELECT typeof(c) … GROUP BY</c>). A table that is not replicated
    /// falls back to SQLite, as any hint does.
    /// </summary>
    private static async Task<Apache.Arrow.Schema> TableSchemaAsync(RheiConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" LIMIT 0";
        command.Route = RheiRoute.Olap;
        using var stream = await command.ExecuteArrowReaderAsync(cancellationToken).ConfigureAwait(false);
        return stream.Schema;
    }

    // An omitted catalog does not narrow; an empty one asks for tables without a catalog, of which there are none.
    private static bool CatalogMatches(string? catalog) => catalog is null || string.Equals(catalog, Catalog, StringComparison.OrdinalIgnoreCase);

    // Tables have no database schema: only an omitted pattern, or one that matches everything, lets them through.
    private static bool SchemaPatternMatches(string? pattern) => pattern is null || pattern.Trim('%').Length == 0;

    /// <summary>A Flight SQL filter pattern (SQL LIKE: % any run, _ one character), case-insensitive as SQLite's names are.</summary>
    private static Regex LikePattern(string pattern)
    {
        var regex = new System.Text.StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
