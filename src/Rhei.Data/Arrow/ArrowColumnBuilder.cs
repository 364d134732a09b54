using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Rhei.Data.Schema;

namespace Rhei.Data.Arrow;

/// <summary>
/// Builds one column of a batch from a <see cref="RheiDataReader"/>, in the column's single storage class.
/// A column whose class is not known yet (an expression with no non-null value so far) counts its NULLs until
/// the first value decides; see <see cref="ReaderArrowStream"/> for the rule.
/// </summary>
internal sealed class ArrowColumnBuilder
{
    // An INTEGER goes into a REAL column only when the double holds it exactly (|v| <= 2^53).
    private const long MaxExactDouble = 1L << 53;

    private readonly string _name;
    private readonly string _engine;
    private MirrorType? _storageClass;
    private int _pendingNulls;
    private Int64Array.Builder? _integers;
    private DoubleArray.Builder? _reals;
    private StringArray.Builder? _texts;
    private BinaryArray.Builder? _blobs;

    public ArrowColumnBuilder(string name, MirrorType? storageClass, string engine)
    {
        _name = name;
        _engine = engine;
        _storageClass = storageClass;
    }

    /// <summary>The column's storage class once known.</summary>
    public MirrorType? StorageClass => _storageClass;

    /// <summary>Fixes the class of a column that saw no value in the first batch: TEXT, as for a DuckDB column of NULLs.</summary>
    public void DefaultToText() => _storageClass ??= MirrorType.Text;

    public void Append(RheiDataReader reader, int ordinal, long row)
    {
        if (reader.IsDBNull(ordinal))
        {
            if (_storageClass is null)
            {
                _pendingNulls++;
            }
            else
            {
                AppendNull();
            }

            return;
        }

        var type = reader.GetFieldType(ordinal);
        var valueClass = ClassOf(type);
        if (_storageClass is null)
        {
            _storageClass = valueClass;
        }

        switch (_storageClass.Value)
        {
            case MirrorType.Integer when valueClass == MirrorType.Integer:
                Integers.Append(type == typeof(long) ? reader.GetInt64(ordinal) : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture));
                break;
            case MirrorType.Real when valueClass == MirrorType.Real:
                Reals.Append(type == typeof(double) ? reader.GetDouble(ordinal) : Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture));
                break;
            case MirrorType.Real when valueClass == MirrorType.Integer:
                var integer = type == typeof(long) ? reader.GetInt64(ordinal) : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
                if (integer < -MaxExactDouble || integer > MaxExactDouble)
                {
                    throw Mixed(row, valueClass, $"the INTEGER {integer} has no exact double");
                }

                Reals.Append(integer);
                break;
            case MirrorType.Text when valueClass == MirrorType.Text:
                Texts.Append(type == typeof(string) ? reader.GetString(ordinal) : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture));
                break;
            case MirrorType.Blob when valueClass == MirrorType.Blob:
                Blobs.Append(reader.GetFieldValue<byte[]>(ordinal).AsSpan());
                break;
            default:
                throw Mixed(row, valueClass, detail: null);
        }
    }

    /// <summary>The column's array for the rows appended since the last call; the builder starts afresh.</summary>
    public IArrowArray Build()
    {
        DefaultToText();
        FlushPendingNulls();
        IArrowArray array = _storageClass!.Value switch
        {
            MirrorType.Integer => Integers.Build(),
            MirrorType.Real => Reals.Build(),
            MirrorType.Text => Texts.Build(),
            _ => Blobs.Build(),
        };
        _integers = null;
        _reals = null;
        _texts = null;
        _blobs = null;
        return array;
    }

    public IArrowType ArrowType => ArrowResultTypes.ToArrowType(_storageClass ?? MirrorType.Text);

    private void AppendNull()
    {
        FlushPendingNulls();
        switch (_storageClass!.Value)
        {
            case MirrorType.Integer:
                Integers.AppendNull();
                break;
            case MirrorType.Real:
                Reals.AppendNull();
                break;
            case MirrorType.Text:
                Texts.AppendNull();
                break;
            default:
                Blobs.AppendNull();
                break;
        }
    }

    private void FlushPendingNulls()
    {
        while (_pendingNulls > 0)
        {
            _pendingNulls--;
            AppendNull();
        }
    }

    private Int64Array.Builder Integers => _integers ??= Pending(new Int64Array.Builder());

    private DoubleArray.Builder Reals => _reals ??= Pending(new DoubleArray.Builder());

    private StringArray.Builder Texts => _texts ??= Pending(new StringArray.Builder());

    private BinaryArray.Builder Blobs => _blobs ??= Pending(new BinaryArray.Builder());

    // A builder created when the first value decided the class takes the NULLs counted before it.
    private T Pending<T>(T builder)
    {
        var nulls = _pendingNulls;
        _pendingNulls = 0;
        for (var i = 0; i < nulls; i++)
        {
            switch (builder)
            {
                case Int64Array.Builder b: b.AppendNull(); break;
                case DoubleArray.Builder b: b.AppendNull(); break;
                case StringArray.Builder b: b.AppendNull(); break;
                case BinaryArray.Builder b: b.AppendNull(); break;
            }
        }

        return builder;
    }

    /// <summary>
    /// The storage class of a value as RheiDataReader types it. Provider-built tables (PRAGMA rhei_*) also hold
    /// int and bool (INTEGER) and dates (TEXT, invariant culture).
    /// </summary>
    internal static MirrorType ClassOf(Type type)
        => type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(bool) ? MirrorType.Integer
            : type == typeof(double) || type == typeof(float) ? MirrorType.Real
            : type == typeof(byte[]) ? MirrorType.Blob
            : MirrorType.Text;

    private RheiException Mixed(long row, MirrorType valueClass, string? detail)
        => new(
            $"Column '{_name}' of the Arrow result is {ArrowType.Name} ({Spell(_storageClass!.Value)}), but row {row + 1} holds a {Spell(valueClass)} value"
            + (detail is null ? string.Empty : $" ({detail})")
            + ". SQLite lets a column mix storage classes; an Arrow column has one type. CAST the column in the SQL to choose one, "
            + $"for example CAST({_name} AS {Spell(_storageClass.Value)}).",
            _engine);

    private static string Spell(MirrorType storageClass) => storageClass switch
    {
        MirrorType.Integer => "INTEGER",
        MirrorType.Real => "REAL",
        MirrorType.Text => "TEXT",
        _ => "BLOB",
    };
}
