using System.Data;
using Apache.Arrow;
using ArrowSchema = Apache.Arrow.Schema;
using Rhei.Data.Schema;

namespace Rhei.Data.Arrow;

/// <summary>
/// Record batches built column-wise from a <see cref="RheiDataReader"/>: the SQLite route, and any command the
/// DuckDB export does not serve (several statements, PRAGMA rhei_*, a data source's own connection).
/// </summary>
/// <remarks>
/// An Arrow column has one type, a SQLite column one storage class per value. Each column's class is fixed once:
/// a column read straight from a table takes its declared type's class, the class its DuckDB mirror column has
/// (<see cref="SqliteTypeMapper.Map"/>); an expression takes the class of its first non-NULL value in the first
/// batch, or TEXT when the first batch has none. A later value of another class is an error naming the column and
/// row (CAST it in the SQL), except an INTEGER in a REAL column, which becomes the equal double when that is exact.
/// A reader DuckDB answered has one type per column already.
/// </remarks>
internal sealed class ReaderArrowStream : RheiArrowStream
{
    /// <summary>Rows per batch on SQLite: large enough that per-batch costs vanish, small enough to stay in cache.</summary>
    internal const int DefaultBatchSize = 65_536;

    // The token is looked at this often inside a batch, so cancelling a large batch does not wait for its end.
    private const int CancellationCheckInterval = 1024;

    private readonly RheiDataReader _reader;
    private readonly int _batchSize;
    private readonly ArrowColumnBuilder[] _columns;
    private ArrowSchema? _schema;
    private RecordBatch? _firstBatch;
    private bool _firstBatchRead;
    private bool _exhausted;
    private long _rows;

    public ReaderArrowStream(RheiDataReader reader, int batchSize = DefaultBatchSize)
        : base(reader.Route)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _reader = reader;
        _batchSize = batchSize;
        try
        {
            var engine = reader.Route == RheiRoute.Olap ? RheiException.DuckDbEngineName : RheiException.SqliteEngineName;
            var classes = DeclaredClasses(reader);
            _columns = new ArrowColumnBuilder[reader.FieldCount];
            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i] = new ArrowColumnBuilder(reader.GetName(i), classes[i], engine);
            }
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public override ArrowSchema Schema
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (_schema is null)
            {
                // The classes of expression columns are known only once the first batch is read.
                _firstBatch = BuildBatch(CancellationToken.None);
            }

            return _schema!;
        }
    }

    protected override RecordBatch? ReadNext(CancellationToken cancellationToken)
    {
        if (!_firstBatchRead)
        {
            _firstBatchRead = true;
            if (_schema is null)
            {
                return BuildBatch(cancellationToken);
            }

            var first = _firstBatch;
            _firstBatch = null;
            return first;
        }

        return BuildBatch(cancellationToken);
    }

    protected override void Release()
    {
        _firstBatch?.Dispose();
        _firstBatch = null;
        _reader.Dispose();
    }

    private RecordBatch? BuildBatch(CancellationToken cancellationToken)
    {
        var count = 0;
        while (!_exhausted && count < _batchSize)
        {
            if (count % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (_columns.Length == 0 || !_reader.Read())
            {
                _exhausted = true;
                break;
            }

            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i].Append(_reader, i, _rows);
            }

            _rows++;
            count++;
        }

        if (_schema is null)
        {
            foreach (var column in _columns)
            {
                column.DefaultToText();
            }

            _schema = new ArrowSchema(
                _columns.Select((c, i) => new Field(_reader.GetName(i), c.ArrowType, nullable: true)),
                metadata: null);
        }

        if (count == 0)
        {
            return null;
        }

        var arrays = new IArrowArray[_columns.Length];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = _columns[i].Build();
        }

        return new RecordBatch(_schema, arrays, count);
    }

    /// <summary>Each column's class before any value is read, or null where the first value decides.</summary>
    private static MirrorType?[] DeclaredClasses(RheiDataReader reader)
    {
        var classes = new MirrorType?[reader.FieldCount];
        if (classes.Length == 0)
        {
            return classes;
        }

        if (reader.Route == RheiRoute.Olap)
        {
            for (var i = 0; i < classes.Length; i++)
            {
                classes[i] = ArrowColumnBuilder.ClassOf(reader.GetFieldType(i));
            }

            return classes;
        }

        var table = reader.GetSchemaTable();
        if (table is null || !table.Columns.Contains("BaseColumnName") || !table.Columns.Contains("IsExpression"))
        {
            // A provider-built table (PRAGMA rhei_*): its columns are typed.
            for (var i = 0; i < classes.Length; i++)
            {
                classes[i] = ArrowColumnBuilder.ClassOf(reader.GetFieldType(i));
            }

            return classes;
        }

        foreach (DataRow row in table.Rows)
        {
            var ordinal = Convert.ToInt32(row["ColumnOrdinal"], System.Globalization.CultureInfo.InvariantCulture);
            var fromTable = row["IsExpression"] is false && row["BaseColumnName"] is string { Length: > 0 };
            if (fromTable && row["DataTypeName"] is string declared)
            {
                classes[ordinal] = SqliteTypeMapper.Map(declared);
            }
        }

        return classes;
    }
}
