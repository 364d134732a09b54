using Rhei.Data.Schema;

namespace Rhei.Data.Olap;

/// <summary>The rows of a batch inserted one by one through a prepared statement, for a batch too small for an appender.</summary>
internal sealed unsafe partial class ApplyChunks
{
    /// <summary>
    /// Binds each row's cells, as they sit in the chunks, to <paramref name="insert"/> (one parameter per mirror column,
    /// in table order) and executes it once per row. Every cell is bound with the type its vector has (BIGINT, DOUBLE,
    /// VARCHAR, BLOB, or NULL), so the mirror gets exactly the values <see cref="AppendTo"/> would append.
    /// </summary>
    public void InsertEach(DuckDbPreparedStatement insert)
    {
        for (var row = 0; row < Count; row++)
        {
            BindRow(insert, row);
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Binds the cells of row <paramref name="row"/> (in the order rows were written) to parameters 1 to the column
    /// count of <paramref name="statement"/>, each with the type its vector has, as <see cref="InsertEach"/> does.
    /// </summary>
    public void BindRow(DuckDbPreparedStatement statement, int row)
    {
        var chunk = _chunks[row / Capacity];
        for (var column = 0; column < _columnCount; column++)
        {
            Bind(statement, chunk, column, row % Capacity);
        }
    }

    private void Bind(DuckDbPreparedStatement insert, Chunk chunk, int column, int row)
    {
        var parameter = column + 1;
        var validity = chunk.Validity[column];
        if (validity is not null && (validity[row >> 6] & (1UL << (row & 63))) == 0)
        {
            insert.BindNull(parameter);
            return;
        }

        var data = chunk.Data[column];
        if (IsString(column))
        {
            var bytes = StringAt(data + ((long)row * StringSize));
            if (column < _types.Length && _types[column] == MirrorType.Blob)
            {
                insert.BindBlob(parameter, bytes);
            }
            else
            {
                // Text was made well-formed UTF-8 when it was written (WriteText); the operation column is one letter.
                insert.BindUtf8(parameter, bytes);
            }

            return;
        }

        if (column < _types.Length && _types[column] == MirrorType.Real)
        {
            insert.BindDouble(parameter, ((double*)data)[row]);
            return;
        }

        // INTEGER columns, and a temporal mirror's valid-from and valid-to.
        insert.BindInt64(parameter, ((long*)data)[row]);
    }

    /// <summary>The bytes of a duckdb_string_t: inline after the length up to 12 bytes, else behind the pointer.</summary>
    private static ReadOnlySpan<byte> StringAt(byte* cell)
    {
        var length = (int)*(uint*)cell;
        return length <= InlineStringLength
            ? new ReadOnlySpan<byte>(cell + 4, length)
            : new ReadOnlySpan<byte>(*(byte**)(cell + 8), length);
    }
}
