using Apache.Arrow;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// Reads a DoPut parameter batch into rows of values, then binds a row to a command: a column per parameter, in
/// placeholder order. The values are copied out at once, so the batch is released when the DoPut ends. A column
/// named after a placeholder (<c>id</c> for <c>@id</c>, <c>:id</c> or <c>$id</c>) binds by name; a column with an
/// empty or numeric name (ADBC and JDBC send <c>0</c>, <c>1</c>… for <c>?</c>) binds by position.
/// </summary>
internal static class ArrowParameterBinder
{
    public static IReadOnlyList<BoundParameter[]> ReadRows(RecordBatch parameters)
    {
        var rows = new List<BoundParameter[]>(parameters.Length);
        for (var row = 0; row < parameters.Length; row++)
        {
            var values = new BoundParameter[parameters.ColumnCount];
            for (var i = 0; i < parameters.ColumnCount; i++)
            {
                var name = parameters.Schema.GetFieldByIndex(i).Name;
                var positional = name.Length == 0 || name.All(char.IsAsciiDigit);
                values[i] = new BoundParameter(positional ? null : name, ValueAt(parameters.Column(i), row, name));
            }

            rows.Add(values);
        }

        return rows;
    }

    public static void Bind(RheiCommand command, BoundParameter[] row)
    {
        command.Parameters.Clear();
        foreach (var parameter in row)
        {
            command.Parameters.Add(new RheiParameter(parameter.Name, parameter.Value));
        }
    }

    private static object ValueAt(IArrowArray array, int row, string name)
    {
        if (array.IsNull(row))
        {
            return DBNull.Value;
        }

        return array switch
        {
            Int64Array a => a.GetValue(row)!.Value,
            Int32Array a => (long)a.GetValue(row)!.Value,
            Int16Array a => (long)a.GetValue(row)!.Value,
            Int8Array a => (long)a.GetValue(row)!.Value,
            UInt32Array a => (long)a.GetValue(row)!.Value,
            UInt16Array a => (long)a.GetValue(row)!.Value,
            UInt8Array a => (long)a.GetValue(row)!.Value,
            UInt64Array a when a.GetValue(row)!.Value <= long.MaxValue => (long)a.GetValue(row)!.Value,
            BooleanArray a => a.GetValue(row)!.Value ? 1L : 0L,
            DoubleArray a => a.GetValue(row)!.Value,
            FloatArray a => (double)a.GetValue(row)!.Value,
            StringArray a => a.GetString(row),
            LargeStringArray a => a.GetString(row),
            StringViewArray a => a.GetString(row),
            BinaryArray a => a.GetBytes(row).ToArray(),
            LargeBinaryArray a => a.GetBytes(row).ToArray(),
            BinaryViewArray a => a.GetBytes(row).ToArray(),
            Decimal128Array a => a.GetValue(row)!.Value,
            Date32Array a => a.GetDateOnly(row)!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Date64Array a => a.GetDateOnly(row)!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            TimestampArray a => a.GetTimestamp(row)!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new FlightSqlRequestException(
                $"The parameter '{name}' is of Arrow type {array.Data.DataType.Name}, which Rhei.Data cannot bind; send an integer, floating point, string, binary, boolean, decimal, date or timestamp column."),
        };
    }
}
