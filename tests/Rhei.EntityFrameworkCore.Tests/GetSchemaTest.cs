using System.Data;
using Microsoft.EntityFrameworkCore;
using Rhei.Data;

namespace Rhei.EntityFrameworkCore.Tests;

/// <summary>RheiConnection.GetSchema read live from SQLite after DDL (EF's and hand-written), Rhei's tables hidden.</summary>
public sealed class GetSchemaTest : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly RheiConnection _connection;

    public GetSchemaTest()
    {
        using (var context = _db.CreateContext())
        {
            context.Database.EnsureCreated();
        }

        _connection = new RheiConnection(_db.ConnectionString);
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText =
            """
            CREATE TABLE audit (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES Orders(Id) ON DELETE CASCADE, note TEXT DEFAULT 'n/a');
            CREATE UNIQUE INDEX ux_audit_note ON audit (note, order_id);
            CREATE VIEW big_orders AS SELECT Id FROM Orders WHERE Id > 10;
            """;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _db.Dispose();
    }

    [Fact]
    public void MetaDataCollections_lists_every_collection_and_GetSchema_without_argument_returns_it()
    {
        var names = _connection.GetSchema().Rows.Cast<DataRow>().Select(r => (string)r["CollectionName"]).ToList();
        Assert.Equal(
            ["MetaDataCollections", "DataSourceInformation", "DataTypes", "Restrictions", "ReservedWords", "Tables", "Columns", "Views", "Indexes", "IndexColumns", "ForeignKeys"],
            names);
        foreach (var name in names)
        {
            Assert.Equal(name, _connection.GetSchema(name).TableName);
        }

        Assert.Throws<ArgumentException>(() => _connection.GetSchema("Procedures"));
        Assert.Throws<ArgumentException>(() => _connection.GetSchema("Tables", ["main", null, "audit", "BASE TABLE", "extra"]));
    }

    [Fact]
    public void Tables_lists_model_and_hand_made_tables_but_not_rhei_or_sqlite_ones()
    {
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '\\_rhei\\_%' ESCAPE '\\'";
            Assert.True(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0, "Rhei keeps tables of its own in this database");
        }

        var tables = _connection.GetSchema("Tables");
        var names = tables.Rows.Cast<DataRow>().Select(r => (string)r["TABLE_NAME"]).ToList();
        Assert.Contains("Customers", names);
        Assert.Contains("CategoryProduct", names);
        Assert.Contains("audit", names);
        Assert.Contains("big_orders", names);
        Assert.DoesNotContain(names, n => n.StartsWith("_rhei_", StringComparison.Ordinal) || n.StartsWith("sqlite_", StringComparison.Ordinal));

        var views = _connection.GetSchema("Tables", [null, null, null, "VIEW"]).Rows.Cast<DataRow>().Select(r => (string)r["TABLE_NAME"]);
        Assert.Equal(["big_orders"], views);
        Assert.Single(_connection.GetSchema("Tables", ["main", null, "AUDIT"]).Rows);
        Assert.Empty(_connection.GetSchema("Tables", ["other", null, "audit"]).Rows);

        var view = Assert.Single(_connection.GetSchema("Views").Rows.Cast<DataRow>());
        Assert.Contains("Id > 10", (string)view["VIEW_DEFINITION"], StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_report_position_type_nullability_default_and_key()
    {
        var rows = _connection.GetSchema("Columns", [null, null, "audit"]).Rows.Cast<DataRow>().ToList();
        Assert.Equal(["id", "order_id", "note"], rows.Select(r => (string)r["COLUMN_NAME"]));
        Assert.Equal([1, 2, 3], rows.Select(r => (int)r["ORDINAL_POSITION"]));
        Assert.Equal(["INTEGER", "INTEGER", "TEXT"], rows.Select(r => (string)r["DATA_TYPE"]));
        Assert.Equal("NO", rows[1]["IS_NULLABLE"]);
        Assert.Equal("YES", rows[2]["IS_NULLABLE"]);
        Assert.Equal("'n/a'", rows[2]["COLUMN_DEFAULT"]);
        Assert.True((bool)rows[0]["PRIMARY_KEY"]);
        Assert.False((bool)rows[1]["PRIMARY_KEY"]);

        var price = Assert.Single(_connection.GetSchema("Columns", [null, null, "Products", "Price"]).Rows.Cast<DataRow>());
        Assert.Equal("TEXT", price["DATA_TYPE"]);

        // A column added later shows up at once: the collection is read live.
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "ALTER TABLE audit ADD COLUMN at TEXT";
            command.ExecuteNonQuery();
        }

        Assert.Equal(4, _connection.GetSchema("Columns", [null, null, "audit"]).Rows.Count);
    }

    [Fact]
    public void Indexes_and_foreign_keys_come_from_the_pragmas()
    {
        var indexes = _connection.GetSchema("Indexes", [null, null, "audit"]).Rows.Cast<DataRow>().ToList();
        var unique = Assert.Single(indexes, r => (string)r["INDEX_NAME"] == "ux_audit_note");
        Assert.True((bool)unique["UNIQUE"]);
        Assert.Equal("note,order_id", unique["COLUMNS"]);

        var efIndexes = _connection.GetSchema("Indexes", [null, null, "Orders"]).Rows.Cast<DataRow>().Select(r => (string)r["INDEX_NAME"]);
        Assert.Contains("IX_Orders_CustomerId", efIndexes);

        var fk = Assert.Single(_connection.GetSchema("ForeignKeys", [null, null, "audit"]).Rows.Cast<DataRow>());
        Assert.Equal("order_id", fk["FKEY_FROM_COLUMN"]);
        Assert.Equal("Orders", fk["FKEY_TO_TABLE"]);
        Assert.Equal("Id", fk["FKEY_TO_COLUMN"]);
        Assert.Equal("CASCADE", fk["FKEY_ON_DELETE"]);

        var lineFks = _connection.GetSchema("ForeignKeys", [null, null, "OrderLines"]).Rows.Cast<DataRow>().Select(r => (string)r["FKEY_TO_TABLE"]).Order();
        Assert.Equal(["Orders", "Products"], lineFks);
    }

    [Fact]
    public void IndexColumns_lists_each_key_column_in_order_and_filters_by_index_and_column()
    {
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "CREATE INDEX ix_audit_desc ON audit (order_id DESC, note COLLATE NOCASE)";
            command.ExecuteNonQuery();
        }

        var rows = _connection.GetSchema("IndexColumns", [null, null, "audit"]).Rows.Cast<DataRow>()
            .Select(r => $"{r["INDEX_NAME"]}:{r["ORDINAL_POSITION"]}:{r["COLUMN_NAME"]}:{r["SORT_ORDER"]}:{r["COLLATION_NAME"]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            ["ix_audit_desc:1:order_id:DESC:BINARY", "ix_audit_desc:2:note:ASC:NOCASE", "ux_audit_note:1:note:ASC:BINARY", "ux_audit_note:2:order_id:ASC:BINARY"],
            rows);

        var one = Assert.Single(_connection.GetSchema("IndexColumns", [null, null, "audit", "ux_audit_note", "order_id"]).Rows.Cast<DataRow>());
        Assert.Equal("ux_audit_note", one["CONSTRAINT_NAME"]);
        Assert.Equal("main", one["TABLE_CATALOG"]);
        Assert.Equal(2, one["ORDINAL_POSITION"]);

        // EF's index on the foreign key shows up as well; Rhei's own tables never do.
        var orderColumns = _connection.GetSchema("IndexColumns", [null, null, "Orders", "IX_Orders_CustomerId"]).Rows.Cast<DataRow>();
        Assert.Equal(["CustomerId"], orderColumns.Select(r => (string)r["COLUMN_NAME"]));
        Assert.DoesNotContain(
            _connection.GetSchema("IndexColumns").Rows.Cast<DataRow>(),
            r => ((string)r["TABLE_NAME"]).StartsWith("_rhei_", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => _connection.GetSchema("IndexColumns", [null, null, "audit", "ux_audit_note", "note", "extra"]));
    }

    [Fact]
    public void Provider_collections_describe_sqlite()
    {
        var info = Assert.Single(_connection.GetSchema("DataSourceInformation").Rows.Cast<DataRow>());
        Assert.Contains("SQLite", (string)info["DataSourceProductVersion"], StringComparison.Ordinal);
        Assert.Equal(["INTEGER", "REAL", "TEXT", "BLOB"], _connection.GetSchema("DataTypes").Rows.Cast<DataRow>().Select(r => (string)r["TypeName"]));
        Assert.Contains(_connection.GetSchema("ReservedWords").Rows.Cast<DataRow>(), r => (string)r["ReservedWord"] == "SELECT");
        Assert.Contains(_connection.GetSchema("Restrictions").Rows.Cast<DataRow>(), r => (string)r["CollectionName"] == "Columns" && (string)r["RestrictionName"] == "Column" && (int)r["RestrictionNumber"] == 4);
    }
}
