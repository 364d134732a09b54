using Apache.Arrow;
using ArrowSchema = Apache.Arrow.Schema;
using Apache.Arrow.C;
using Rhei.Data.Olap;
using Rhei.Data.Olap.Native;

namespace Rhei.Data.Arrow;

/// <summary>
/// Record batches exported by DuckDB itself: each chunk of the result (up to 2048 rows) becomes one batch through
/// the Arrow C data interface, imported without touching a cell. The result's columns are already of their storage
/// classes' DuckDB types (see <see cref="DuckDbArrowQuery"/>), so DuckDB's schema is the Arrow result's schema.
/// </summary>
internal sealed unsafe class DuckDbArrowStream : RheiArrowStream
{
    private readonly DuckDbArrowResult _result;
    private readonly string _sql;
    private nint _options;

    /// <param name="result">The result, owned by the stream from now on.</param>
    /// <param name="sql">The SQL DuckDB ran, for error messages.</param>
    /// <param name="names">SQLite's names for the columns, used when there are as many; otherwise DuckDB's.</param>
    public DuckDbArrowStream(DuckDbArrowResult result, string sql, IReadOnlyList<string>? names)
        : base(RheiRoute.Olap)
    {
        _result = result;
        _sql = sql;
        try
        {
            _options = DuckDbArrowNative.ResultGetArrowOptions(result.Pointer);
            Schema = ImportSchema(names);
        }
        catch
        {
            Release();
            throw;
        }
    }

    public override ArrowSchema Schema { get; }

    /// <summary>Whether DuckDB's result (the materialised rows) has been destroyed.</summary>
    internal bool IsResultReleased => _result.IsClosed;

    protected override RecordBatch? ReadNext(CancellationToken cancellationToken)
    {
        while (true)
        {
            nint chunk;
            try
            {
                chunk = _result.FetchChunk();
            }
            catch (DuckDbException ex)
            {
                throw RheiException.FromDuckDb(ex, _sql);
            }

            if (chunk == 0)
            {
                return null;
            }

            try
            {
                if (DuckDbArrowNative.DataChunkSize(chunk) == 0)
                {
                    continue;
                }

                var array = CArrowArray.Create();
                try
                {
                    ThrowIfError(DuckDbArrowNative.DataChunkToArrow(_options, chunk, array), "convert a result chunk to Arrow");

                    // The batch takes over the array's release callback; only the struct's memory stays ours.
                    return CArrowArrayImporter.ImportRecordBatch(array, Schema);
                }
                finally
                {
                    CArrowArray.Free(array);
                }
            }
            finally
            {
                // The Arrow array owns copies of the chunk's data, so the chunk goes now.
                DuckDbArrowNative.DestroyDataChunk(ref chunk);
            }
        }
    }

    protected override void Release()
    {
        if (_options != 0)
        {
            DuckDbArrowNative.DestroyArrowOptions(ref _options);
            _options = 0;
        }

        _result.Dispose();
    }

    private ArrowSchema ImportSchema(IReadOnlyList<string>? names)
    {
        var count = _result.ColumnCount;
        var types = new nint[count];
        var duckNames = new byte*[count];
        var schema = CArrowSchema.Create();
        try
        {
            for (var i = 0; i < count; i++)
            {
                types[i] = DuckDbArrowNative.ColumnLogicalType(_result.Pointer, (ulong)i);
                duckNames[i] = DuckDbArrowNative.ColumnName(_result.Pointer, (ulong)i);
            }

            fixed (nint* typePointers = types)
            fixed (byte** namePointers = duckNames)
            {
                ThrowIfError(DuckDbArrowNative.ToArrowSchema(_options, typePointers, namePointers, (ulong)count, schema), "describe the result in Arrow");
            }

            var imported = CArrowSchemaImporter.ImportSchema(schema);
            var fields = new List<Field>(count);
            var useSqliteNames = names is not null && names.Count == imported.FieldsList.Count;
            foreach (var field in imported.FieldsList)
            {
                if (ArrowResultTypes.FromArrowType(field.DataType) is not { } storageClass)
                {
                    throw new RheiException(
                        $"DuckDB exported column '{field.Name}' as Arrow type {field.DataType.Name}, not one of Int64, Double, Utf8 or Binary. "
                        + "If the session changed DuckDB's Arrow settings (produce_arrow_string_view, arrow_large_buffer_size), RESET them; "
                        + "otherwise this is a bug in Rhei.Data: please report it with the query.",
                        RheiException.ProviderEngineName);
                }

                // Rebuilt without DuckDB's field metadata, and with SQLite's names, so that both engines' schemas compare equal.
                var name = useSqliteNames ? names![fields.Count] : field.Name;
                fields.Add(new Field(name, ArrowResultTypes.ToArrowType(storageClass), nullable: true));
            }

            return new ArrowSchema(fields, metadata: null);
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                if (types[i] != 0)
                {
                    DuckDbArrowNative.DestroyLogicalType(ref types[i]);
                }
            }

            CArrowSchema.Free(schema);
        }
    }

    private void ThrowIfError(nint error, string operation)
    {
        if (error == 0)
        {
            return;
        }

        try
        {
            var message = DuckDbArrowResult.Utf8(DuckDbArrowNative.ErrorDataMessage(error)) ?? "no message";
            throw RheiException.FromDuckDb(new DuckDbException($"DuckDB could not {operation}: {message}", DuckDbArrowNative.ErrorDataErrorType(error)), _sql);
        }
        finally
        {
            DuckDbArrowNative.DestroyErrorData(ref error);
        }
    }
}
