using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Rhei.Data.Arrow;

namespace Rhei.Data.Tests.Arrow;

/// <summary>Reads an Arrow stream back into rows of CLR values (null for NULL) for comparison.</summary>
internal static class ArrowTestRows
{
    public sealed record Result(RheiRoute Route, Apache.Arrow.Schema Schema, List<object?[]> Rows, List<int> BatchLengths);

    public static async Task<Result> ReadAllAsync(IArrowArrayStream stream)
    {
        var rows = new List<object?[]>();
        var lengths = new List<int>();
        while (await stream.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch)
            {
                Assert.Same(stream.Schema, batch.Schema);
                lengths.Add(batch.Length);
                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new object?[batch.ColumnCount];
                    for (var c = 0; c < batch.ColumnCount; c++)
                    {
                        row[c] = Value(batch.Column(c), r);
                    }

                    rows.Add(row);
                }
            }
        }

        return new Result(RouteOf(stream), stream.Schema, rows, lengths);
    }

    /// <summary>The engine that answered; a DuckDB answer must be DuckDB's own Arrow export, not rows read one by one.</summary>
    public static RheiRoute RouteOf(IArrowArrayStream stream)
    {
        var route = Assert.IsAssignableFrom<RheiArrowStream>(stream).Route;
        if (route == RheiRoute.Olap)
        {
            Assert.IsType<DuckDbArrowStream>(stream);
        }

        return route;
    }

    public static object? Value(IArrowArray array, int row) => array.IsNull(row) ? null : array switch
    {
        Int64Array a => a.GetValue(row),
        DoubleArray a => a.GetValue(row),
        StringArray a => a.GetString(row),
        BinaryArray a => a.GetBytes(row).ToArray(),
        _ => throw new InvalidOperationException($"Unexpected Arrow array {array.GetType().Name}."),
    };

    /// <summary>Names, types and nullability, field by field.</summary>
    public static void AssertSchema(Apache.Arrow.Schema schema, params (string Name, ArrowTypeId Type)[] expected)
    {
        Assert.Equal(expected.Length, schema.FieldsList.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var field = schema.FieldsList[i];
            Assert.Equal(expected[i].Name, field.Name);
            Assert.Equal(expected[i].Type, field.DataType.TypeId);
            Assert.True(field.IsNullable, $"field {field.Name} should be nullable");
        }
    }

    public static void AssertSameSchema(Apache.Arrow.Schema expected, Apache.Arrow.Schema actual)
        => AssertSchema(actual, expected.FieldsList.Select(f => (f.Name, f.DataType.TypeId)).ToArray());
}
