using System.Data;
using System.Data.Common;

namespace Rhei.Data.Olap;

/// <summary>Builds <see cref="DbDataReader.GetSchemaTable"/> for a result DuckDB answered, in the columns Microsoft.Data.Sqlite uses.</summary>
internal static class OlapSchemaTable
{
    public static DataTable Build(DuckDbResultReader result, DuckDbCursor cursor)
    {
        var table = new DataTable("SchemaTable");
        var columnName = table.Columns.Add(SchemaTableColumn.ColumnName, typeof(string));
        var ordinal = table.Columns.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        var size = table.Columns.Add(SchemaTableColumn.ColumnSize, typeof(int));
        var precision = table.Columns.Add(SchemaTableColumn.NumericPrecision, typeof(short));
        var scale = table.Columns.Add(SchemaTableColumn.NumericScale, typeof(short));
        var dataType = table.Columns.Add(SchemaTableColumn.DataType, typeof(Type));
        var dataTypeName = table.Columns.Add("DataTypeName", typeof(string));
        var isLong = table.Columns.Add(SchemaTableColumn.IsLong, typeof(bool));
        var allowDbNull = table.Columns.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        var isUnique = table.Columns.Add(SchemaTableColumn.IsUnique, typeof(bool));
        var isKey = table.Columns.Add(SchemaTableColumn.IsKey, typeof(bool));
        var isAutoIncrement = table.Columns.Add(SchemaTableOptionalColumn.IsAutoIncrement, typeof(bool));
        var baseCatalog = table.Columns.Add(SchemaTableOptionalColumn.BaseCatalogName, typeof(string));
        var baseColumn = table.Columns.Add(SchemaTableColumn.BaseColumnName, typeof(string));
        var baseSchema = table.Columns.Add(SchemaTableColumn.BaseSchemaName, typeof(string));
        var baseTable = table.Columns.Add(SchemaTableColumn.BaseTableName, typeof(string));
        var isAliased = table.Columns.Add(SchemaTableColumn.IsAliased, typeof(bool));
        var isExpression = table.Columns.Add(SchemaTableColumn.IsExpression, typeof(bool));

        for (var i = 0; i < result.FieldCount; i++)
        {
            var row = table.NewRow();
            row[columnName] = cursor.GetName(i);
            row[ordinal] = i;
            row[size] = -1;
            row[precision] = DBNull.Value;
            row[scale] = DBNull.Value;
            row[dataType] = result.GetSqliteFieldType(i);
            row[dataTypeName] = cursor.GetDataTypeName(i);
            row[isLong] = false;
            row[allowDbNull] = true;
            row[isUnique] = false;
            row[isKey] = false;
            row[isAutoIncrement] = false;
            row[baseCatalog] = DBNull.Value;
            row[baseColumn] = DBNull.Value;
            row[baseSchema] = DBNull.Value;
            row[baseTable] = DBNull.Value;
            row[isAliased] = DBNull.Value;
            row[isExpression] = DBNull.Value;
            table.Rows.Add(row);
        }

        return table;
    }
}
