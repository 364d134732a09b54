using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Rhei.Data.Schema;

/// <summary>
/// Builds the ADO.NET schema collections (<see cref="DbConnection.GetSchema()"/>) that reporting tools and generic
/// data layers ask for, read live from SQLite's catalog (<c>sqlite_master</c> and the table-valued pragmas).
/// SQLite answers because it is the system of record; DuckDB only mirrors it. Rhei's and SQLite's own bookkeeping
/// tables are hidden: they are not the application's data.
/// </summary>
internal static class RheiSchemaCollections
{
    public const string MetaDataCollections = "MetaDataCollections";
    public const string DataSourceInformation = "DataSourceInformation";
    public const string DataTypes = "DataTypes";
    public const string Restrictions = "Restrictions";
    public const string ReservedWords = "ReservedWords";
    public const string Tables = "Tables";
    public const string Columns = "Columns";
    public const string Views = "Views";
    public const string Indexes = "Indexes";
    public const string IndexColumns = "IndexColumns";
    public const string ForeignKeys = "ForeignKeys";

    private const string Catalog = "main";

    // (collection, restriction names in order, identifier parts)
    private static readonly (string Name, string[] Restrictions, int IdentifierParts)[] s_collections =
    [
        (MetaDataCollections, [], 0),
        (DataSourceInformation, [], 0),
        (DataTypes, [], 0),
        (Restrictions, [], 0),
        (ReservedWords, [], 0),
        (Tables, ["Catalog", "Schema", "Table", "TableType"], 3),
        (Columns, ["Catalog", "Schema", "Table", "Column"], 4),
        (Views, ["Catalog", "Schema", "Table"], 3),
        (Indexes, ["Catalog", "Schema", "Table", "Index"], 4),
        (IndexColumns, ["Catalog", "Schema", "Table", "ConstraintName", "Column"], 4),
        (ForeignKeys, ["Catalog", "Schema", "Table", "ForeignKey"], 4),
    ];

    public static DataTable Get(SqliteConnection connection, string collectionName, string?[]? restrictions, string serverVersion)
    {
        var collection = s_collections.FirstOrDefault(c => c.Name.Equals(collectionName, StringComparison.OrdinalIgnoreCase));
        if (collection.Name is null)
        {
            throw new ArgumentException(
                $"The schema collection '{collectionName}' is not defined. Known collections: {string.Join(", ", s_collections.Select(c => c.Name))}.",
                nameof(collectionName));
        }

        restrictions ??= [];
        if (restrictions.Length > collection.Restrictions.Length)
        {
            throw new ArgumentException(
                $"The schema collection '{collection.Name}' takes at most {collection.Restrictions.Length} restrictions; {restrictions.Length} were given.",
                nameof(restrictions));
        }

        var filter = new Restriction(restrictions);
        var table = collection.Name switch
        {
            MetaDataCollections => GetMetaDataCollections(),
            DataSourceInformation => GetDataSourceInformation(serverVersion),
            DataTypes => GetDataTypes(),
            Restrictions => GetRestrictions(),
            ReservedWords => GetReservedWords(),
            Tables => GetTables(connection, filter),
            Columns => GetColumns(connection, filter),
            Views => GetViews(connection, filter),
            Indexes => GetIndexes(connection, filter),
            IndexColumns => GetIndexColumns(connection, filter),
            _ => GetForeignKeys(connection, filter),
        };
        table.TableName = collection.Name;
        return table;
    }

    private static DataTable GetMetaDataCollections()
    {
        var table = NewTable(
            (DbMetaDataColumnNames.CollectionName, typeof(string)),
            (DbMetaDataColumnNames.NumberOfRestrictions, typeof(int)),
            (DbMetaDataColumnNames.NumberOfIdentifierParts, typeof(int)));
        foreach (var (name, restrictions, parts) in s_collections)
        {
            table.Rows.Add(name, restrictions.Length, parts);
        }

        return table;
    }

    private static DataTable GetRestrictions()
    {
        var table = NewTable(
            ("CollectionName", typeof(string)),
            ("RestrictionName", typeof(string)),
            ("RestrictionDefault", typeof(string)),
            ("RestrictionNumber", typeof(int)));
        foreach (var (name, restrictions, _) in s_collections)
        {
            for (var i = 0; i < restrictions.Length; i++)
            {
                table.Rows.Add(name, restrictions[i], null, i + 1);
            }
        }

        return table;
    }

    private static DataTable GetDataSourceInformation(string serverVersion)
    {
        var table = NewTable(
            (DbMetaDataColumnNames.CompositeIdentifierSeparatorPattern, typeof(string)),
            (DbMetaDataColumnNames.DataSourceProductName, typeof(string)),
            (DbMetaDataColumnNames.DataSourceProductVersion, typeof(string)),
            (DbMetaDataColumnNames.DataSourceProductVersionNormalized, typeof(string)),
            (DbMetaDataColumnNames.GroupByBehavior, typeof(GroupByBehavior)),
            (DbMetaDataColumnNames.IdentifierPattern, typeof(string)),
            (DbMetaDataColumnNames.IdentifierCase, typeof(IdentifierCase)),
            (DbMetaDataColumnNames.OrderByColumnsInSelect, typeof(bool)),
            (DbMetaDataColumnNames.ParameterMarkerFormat, typeof(string)),
            (DbMetaDataColumnNames.ParameterMarkerPattern, typeof(string)),
            (DbMetaDataColumnNames.ParameterNameMaxLength, typeof(int)),
            (DbMetaDataColumnNames.ParameterNamePattern, typeof(string)),
            (DbMetaDataColumnNames.QuotedIdentifierPattern, typeof(string)),
            (DbMetaDataColumnNames.QuotedIdentifierCase, typeof(IdentifierCase)),
            (DbMetaDataColumnNames.StatementSeparatorPattern, typeof(string)),
            (DbMetaDataColumnNames.StringLiteralPattern, typeof(string)),
            (DbMetaDataColumnNames.SupportedJoinOperators, typeof(SupportedJoinOperators)));
        var sqliteVersion = new SqliteConnection().ServerVersion;
        table.Rows.Add(
            @"\.",
            "Rhei.Data (SQLite + DuckDB)",
            serverVersion,
            Normalize(sqliteVersion),
            GroupByBehavior.Unrelated,
            @"(^\[\p{Lo}\p{Lu}\p{Ll}_@#][\p{Lo}\p{Lu}\p{Ll}\p{Nd}@$#_]*$)|(^\[[^\]\0]|\]\]+\]$)|(^\""[^\""\0]|\""\""+\""$)",
            IdentifierCase.Insensitive,
            false,
            "{0}",
            @"[@:$][\p{Lo}\p{Lu}\p{Ll}\p{Lm}_@#][\p{Lo}\p{Lu}\p{Ll}\p{Lm}\p{Nd}\uff3f_@#\$]*(?=\s+|$)",
            255,
            @"^[\p{Lo}\p{Lu}\p{Ll}\p{Lm}_@#][\p{Lo}\p{Lu}\p{Ll}\p{Lm}\p{Nd}\uff3f_@#\$]*(?=\s+|$)",
            @"""(([^""]|"""")*)""",
            IdentifierCase.Sensitive,
            ";",
            @"'(([^']|'')*)'",
            SupportedJoinOperators.Inner | SupportedJoinOperators.LeftOuter | SupportedJoinOperators.RightOuter | SupportedJoinOperators.FullOuter);
        return table;
    }

    private static string Normalize(string version)
        => string.Join('.', version.Split('.').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString("00", CultureInfo.InvariantCulture) : p));

    private static DataTable GetDataTypes()
    {
        var table = NewTable(
            (DbMetaDataColumnNames.TypeName, typeof(string)),
            (DbMetaDataColumnNames.ProviderDbType, typeof(int)),
            (DbMetaDataColumnNames.ColumnSize, typeof(long)),
            (DbMetaDataColumnNames.CreateFormat, typeof(string)),
            (DbMetaDataColumnNames.CreateParameters, typeof(string)),
            (DbMetaDataColumnNames.DataType, typeof(string)),
            (DbMetaDataColumnNames.IsAutoIncrementable, typeof(bool)),
            (DbMetaDataColumnNames.IsBestMatch, typeof(bool)),
            (DbMetaDataColumnNames.IsCaseSensitive, typeof(bool)),
            (DbMetaDataColumnNames.IsFixedLength, typeof(bool)),
            (DbMetaDataColumnNames.IsFixedPrecisionScale, typeof(bool)),
            (DbMetaDataColumnNames.IsLong, typeof(bool)),
            (DbMetaDataColumnNames.IsNullable, typeof(bool)),
            (DbMetaDataColumnNames.IsSearchable, typeof(bool)),
            (DbMetaDataColumnNames.IsSearchableWithLike, typeof(bool)),
            (DbMetaDataColumnNames.IsUnsigned, typeof(bool)),
            (DbMetaDataColumnNames.IsConcurrencyType, typeof(bool)),
            (DbMetaDataColumnNames.IsLiteralSupported, typeof(bool)),
            (DbMetaDataColumnNames.LiteralPrefix, typeof(string)),
            (DbMetaDataColumnNames.LiteralSuffix, typeof(string)));

        // SQLite's four storage classes, with the provider type numbers of Microsoft.Data.Sqlite's SqliteType.
        table.Rows.Add("INTEGER", (int)SqliteType.Integer, 8L, "INTEGER", null, typeof(long).FullName, true, true, false, true, true, false, true, true, false, false, false, true, null, null);
        table.Rows.Add("REAL", (int)SqliteType.Real, 8L, "REAL", null, typeof(double).FullName, false, true, false, true, false, false, true, true, false, false, false, true, null, null);
        table.Rows.Add("TEXT", (int)SqliteType.Text, 1_000_000_000L, "TEXT", null, typeof(string).FullName, false, true, true, false, false, true, true, true, true, false, false, true, "'", "'");
        table.Rows.Add("BLOB", (int)SqliteType.Blob, 1_000_000_000L, "BLOB", null, typeof(byte[]).FullName, false, true, false, false, false, true, true, true, false, false, false, true, "X'", "'");
        return table;
    }

    private static DataTable GetReservedWords()
    {
        var table = NewTable((DbMetaDataColumnNames.ReservedWord, typeof(string)));
        foreach (var word in s_sqliteKeywords)
        {
            table.Rows.Add(word);
        }

        return table;
    }

    private static DataTable GetTables(SqliteConnection connection, Restriction filter)
    {
        var table = NewTable(("TABLE_CATALOG", typeof(string)), ("TABLE_SCHEMA", typeof(string)), ("TABLE_NAME", typeof(string)), ("TABLE_TYPE", typeof(string)));
        foreach (var (name, type, _) in ReadMaster(connection, "'table', 'view'", filter))
        {
            var tableType = type == "view" ? "VIEW" : "BASE TABLE";
            if (filter.Matches(2, name) && filter.Matches(3, tableType))
            {
                table.Rows.Add(Catalog, DBNull.Value, name, tableType);
            }
        }

        return table;
    }

    private static DataTable GetViews(SqliteConnection connection, Restriction filter)
    {
        var table = NewTable(("TABLE_CATALOG", typeof(string)), ("TABLE_SCHEMA", typeof(string)), ("TABLE_NAME", typeof(string)), ("VIEW_DEFINITION", typeof(string)));
        foreach (var (name, _, sql) in ReadMaster(connection, "'view'", filter))
        {
            if (filter.Matches(2, name))
            {
                table.Rows.Add(Catalog, DBNull.Value, name, sql);
            }
        }

        return table;
    }

    private static DataTable GetColumns(SqliteConnection connection, Restriction filter)
    {
        var table = NewTable(
            ("TABLE_CATALOG", typeof(string)),
            ("TABLE_SCHEMA", typeof(string)),
            ("TABLE_NAME", typeof(string)),
            ("COLUMN_NAME", typeof(string)),
            ("ORDINAL_POSITION", typeof(int)),
            ("COLUMN_DEFAULT", typeof(string)),
            ("IS_NULLABLE", typeof(string)),
            ("DATA_TYPE", typeof(string)),
            ("PRIMARY_KEY", typeof(bool)),
            ("PRIMARY_KEY_ORDINAL", typeof(int)),
            ("IS_HIDDEN", typeof(bool)));
        foreach (var tableName in TableNames(connection, "'table', 'view'", filter))
        {
            // table_xinfo also lists generated columns (hidden > 1); plain hidden columns of virtual tables are 1.
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo($table) ORDER BY cid";
            command.Parameters.AddWithValue("$table", tableName);
            using var reader = command.ExecuteReader();
            var ordinal = 0;
            while (reader.Read())
            {
                var column = reader.GetString(1);
                ordinal++;
                if (!filter.Matches(3, column))
                {
                    continue;
                }

                var pk = reader.GetInt32(5);
                table.Rows.Add(
                    Catalog,
                    DBNull.Value,
                    tableName,
                    column,
                    ordinal,
                    reader.IsDBNull(4) ? DBNull.Value : reader.GetString(4),
                    reader.GetInt32(3) != 0 ? "NO" : "YES",
                    reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                    pk > 0,
                    pk > 0 ? pk : DBNull.Value,
                    reader.GetInt32(6) != 0);
            }
        }

        return table;
    }

    private static DataTable GetIndexes(SqliteConnection connection, Restriction filter)
    {
        var table = NewTable(
            ("TABLE_CATALOG", typeof(string)),
            ("TABLE_SCHEMA", typeof(string)),
            ("TABLE_NAME", typeof(string)),
            ("INDEX_NAME", typeof(string)),
            ("UNIQUE", typeof(bool)),
            ("PRIMARY_KEY", typeof(bool)),
            ("ORIGIN", typeof(string)),
            ("PARTIAL", typeof(bool)),
            ("COLUMNS", typeof(string)));
        foreach (var tableName in TableNames(connection, "'table'", filter))
        {
            var indexes = ReadIndexList(connection, tableName);
            foreach (var index in indexes.Where(i => filter.Matches(3, i.Name)))
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT name FROM pragma_index_info($index) ORDER BY seqno";
                command.Parameters.AddWithValue("$index", index.Name);
                var columns = new List<string>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        // An expression column has no name.
                        columns.Add(reader.IsDBNull(0) ? "<expression>" : reader.GetString(0));
                    }
                }

                table.Rows.Add(Catalog, DBNull.Value, tableName, index.Name, index.Unique, index.Origin == "pk", index.Origin, index.Partial, string.Join(",", columns));
            }
        }

        return table;
    }

    private static DataTable GetIndexColumns(SqliteConnection connection, Restriction filter)
    {
        var table = NewTable(
            ("CONSTRAINT_CATALOG", typeof(string)),
            ("CONSTRAINT_SCHEMA", typeof(string)),
            ("CONSTRAINT_NAME", typeof(string)),
            ("TABLE_CATALOG", typeof(string)),
            ("TABLE_SCHEMA", typeof(string)),
            ("TABLE_NAME", typeof(string)),
            ("COLUMN_NAME", typeof(string)),
            ("ORDINAL_POSITION", typeof(int)),
            ("SORT_ORDER", typeof(string)),
            ("COLLATION_NAME", typeof(string)),
            ("INDEX_NAME", typeof(string)));
        foreach (var tableName in TableNames(connection, "'table'", filter))
        {
            foreach (var index in ReadIndexList(connection, tableName).Where(i => filter.Matches(3, i.Name)))
            {
                using var command = connection.CreateCommand();
                // index_xinfo (not index_info) because it also gives each column's sort order and collation;
                // key = 0 rows are the rowid and other auxiliary columns SQLite appends, not the index's columns.
                command.CommandText = "SELECT name, seqno, \"desc\", coll FROM pragma_index_xinfo($index) WHERE key = 1 ORDER BY seqno";
                command.Parameters.AddWithValue("$index", index.Name);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var column = reader.IsDBNull(0) ? "<expression>" : reader.GetString(0);
                    if (!filter.Matches(4, column))
                    {
                        continue;
                    }

                    table.Rows.Add(
                        Catalog, DBNull.Value, index.Name, Catalog, DBNull.Value, tableName, column,
                        reader.GetInt32(1) + 1, reader.GetInt32(2) != 0 ? "DESC" : "ASC",
                        reader.IsDBNull(3) ? DBNull.Value : reader.GetString(3), index.Name);
                }
            }
        }

        return table;
    }

    /// <summary>The indexes of a table, newest first as <c>pragma_index_list</c> numbers them.</summary>
    private static List<(string Name, bool Unique, string Origin, bool Partial)> ReadIndexList(SqliteConnection connection, string tableName)
    {
        var indexes = new List<(string Name, bool Unique, string Origin, bool Partial)>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, \"unique\", origin, partial FROM pragma_index_list($table) ORDER BY seq DESC";
        command.Parameters.AddWithValue("$table", tableName);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            indexes.Add((reader.GetString(0), reader.GetInt32(1) != 0, reader.GetString(2), reader.GetInt32(3) != 0));
        }

        return indexes;
    }

    private static DataTable GetForeignKeys(SqliteConnection connection, Restriction filter)
    {
        var table = NewTable(
            ("CONSTRAINT_CATALOG", typeof(string)),
            ("CONSTRAINT_SCHEMA", typeof(string)),
            ("CONSTRAINT_NAME", typeof(string)),
            ("TABLE_CATALOG", typeof(string)),
            ("TABLE_SCHEMA", typeof(string)),
            ("TABLE_NAME", typeof(string)),
            ("CONSTRAINT_TYPE", typeof(string)),
            ("FKEY_ID", typeof(int)),
            ("FKEY_FROM_COLUMN", typeof(string)),
            ("FKEY_FROM_ORDINAL_POSITION", typeof(int)),
            ("FKEY_TO_CATALOG", typeof(string)),
            ("FKEY_TO_SCHEMA", typeof(string)),
            ("FKEY_TO_TABLE", typeof(string)),
            ("FKEY_TO_COLUMN", typeof(string)),
            ("FKEY_ON_UPDATE", typeof(string)),
            ("FKEY_ON_DELETE", typeof(string)));
        foreach (var tableName in TableNames(connection, "'table'", filter))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list($table) ORDER BY id, seq";
            command.Parameters.AddWithValue("$table", tableName);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                // SQLite keeps no name for a foreign key; this one is stable for a given schema.
                var id = reader.GetInt32(0);
                var name = string.Create(CultureInfo.InvariantCulture, $"FK_{tableName}_{id}");
                if (!filter.Matches(3, name))
                {
                    continue;
                }

                table.Rows.Add(
                    Catalog, DBNull.Value, name, Catalog, DBNull.Value, tableName, "FOREIGN KEY", id,
                    reader.GetString(3), reader.GetInt32(1) + 1, Catalog, DBNull.Value, reader.GetString(2),
                    // "to" is NULL when the foreign key refers to the parent's primary key implicitly.
                    reader.IsDBNull(4) ? DBNull.Value : reader.GetString(4),
                    reader.GetString(5), reader.GetString(6));
            }
        }

        return table;
    }

    /// <summary>User tables and views of the main database, by name; Rhei's and SQLite's bookkeeping left out.</summary>
    private static List<(string Name, string Type, string? Sql)> ReadMaster(SqliteConnection connection, string types, Restriction filter)
    {
        if (!filter.ContainerMatches)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, type, sql FROM main.sqlite_master WHERE type IN ({types}) ORDER BY name";
        using var reader = command.ExecuteReader();
        var result = new List<(string, string, string?)>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (name.StartsWith("_rhei_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            result.Add((name, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return result;
    }

    /// <summary>The names of the tables (or views) of the given types that pass the TABLE_NAME restriction.</summary>
    private static IEnumerable<string> TableNames(SqliteConnection connection, string types, Restriction filter)
    {
        foreach (var (name, _, _) in ReadMaster(connection, types, filter))
        {
            if (filter.Matches(2, name))
            {
                yield return name;
            }
        }
    }

    private static DataTable NewTable(params (string Name, Type Type)[] columns)
    {
        var table = new DataTable { Locale = CultureInfo.InvariantCulture };
        foreach (var (name, type) in columns)
        {
            table.Columns.Add(name, type);
        }

        return table;
    }

    /// <summary>Restriction values by position (catalog, schema, object, part); null or empty matches anything.</summary>
    private readonly struct Restriction(string?[] values)
    {
        /// <summary>
        /// SQLite has one catalog, <c>main</c>, and no schemas: a catalog or schema restriction matches only when
        /// empty or <c>main</c> (what tools that always send a schema tend to pass).
        /// </summary>
        public bool ContainerMatches => Fits(0) && Fits(1);

        public bool Matches(int position, string value)
            => position >= values.Length || string.IsNullOrEmpty(values[position])
               || string.Equals(values[position], value, StringComparison.OrdinalIgnoreCase);

        private bool Fits(int position) => Matches(position, Catalog);
    }

    // SQLite's keywords (https://sqlite.org/lang_keywords.html), every one reserved in some context.
    private static readonly string[] s_sqliteKeywords =
    [
        "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC", "ATTACH",
        "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN",
        "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME",
        "CURRENT_TIMESTAMP", "DATABASE", "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DETACH", "DISTINCT",
        "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE", "EXCLUSIVE", "EXISTS", "EXPLAIN", "FAIL",
        "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "GENERATED", "GLOB", "GROUP", "GROUPS",
        "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN", "INDEX", "INDEXED", "INITIALLY", "INNER", "INSERT", "INSTEAD",
        "INTERSECT", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED",
        "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OTHERS",
        "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING", "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE",
        "REFERENCES", "REGEXP", "REINDEX", "RELEASE", "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RIGHT",
        "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SELECT", "SET", "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES", "TO",
        "TRANSACTION", "TRIGGER", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING", "VACUUM", "VALUES", "VIEW",
        "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
    ];
}
