using System.Reflection;
using Apache.Arrow;
using Apache.Arrow.Types;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>
/// The answer to <c>CommandGetSqlInfo</c>: one row per SqlInfo id, its value in the specification's dense union
/// (strings, booleans, int32s; this server reports no lists or maps, but their children are present and empty).
/// </summary>
internal static class SqlInfoBatch
{
    public static RecordBatch Build(RheiFlightSqlOptions options, IReadOnlyCollection<uint> requested)
    {
        var known = Values(options);
        var ids = requested.Count == 0 ? known.Keys.Order().ToList() : requested.Where(known.ContainsKey).ToList();

        var names = new UInt32Array.Builder();
        var typeIds = new ArrowBuffer.Builder<byte>();
        var offsets = new ArrowBuffer.Builder<int>();
        var strings = new StringArray.Builder();
        var bools = new BooleanArray.Builder();
        var bigints = new Int64Array.Builder();
        var int32s = new Int32Array.Builder();
        foreach (var id in ids)
        {
            names.Append(id);
            switch (known[id])
            {
                case string text:
                    typeIds.Append(FlightSqlSchemas.StringValue);
                    offsets.Append(strings.Length);
                    strings.Append(text);
                    break;
                case bool flag:
                    typeIds.Append(FlightSqlSchemas.BoolValue);
                    offsets.Append(bools.Length);
                    bools.Append(flag);
                    break;
                case long number:
                    typeIds.Append(FlightSqlSchemas.BigIntValue);
                    offsets.Append(bigints.Length);
                    bigints.Append(number);
                    break;
                case int bitmask:
                    typeIds.Append(FlightSqlSchemas.Int32Bitmask);
                    offsets.Append(int32s.Length);
                    int32s.Append(bitmask);
                    break;
            }
        }

        var mapType = (MapType)FlightSqlSchemas.SqlInfoValueType.Fields[FlightSqlSchemas.Int32ToInt32ListMap].DataType;
        IArrowArray[] children =
        [
            strings.Build(),
            bools.Build(),
            bigints.Build(),
            int32s.Build(),
            new ListArray.Builder(new Field("item", StringType.Default, nullable: true)).Build(),
            new MapArray.Builder(mapType).Build(),
        ];
        var value = new DenseUnionArray(FlightSqlSchemas.SqlInfoValueType, ids.Count, children, typeIds.Build(), offsets.Build());
        return new RecordBatch(FlightSqlSchemas.SqlInfo, [names.Build(), value], ids.Count);
    }

    /// <summary>What this server says about itself, by SqlInfo id; the value's CLR type picks the union member.</summary>
    private static Dictionary<uint, object> Values(RheiFlightSqlOptions options) => new()
    {
        [(uint)SqlInfo.FlightSqlServerName] = options.ServerName,
        [(uint)SqlInfo.FlightSqlServerVersion] = VersionOf(typeof(RheiConnection).Assembly),
        [(uint)SqlInfo.FlightSqlServerArrowVersion] = VersionOf(typeof(RecordBatch).Assembly),
        [(uint)SqlInfo.FlightSqlServerReadOnly] = options.ReadOnly,
        [(uint)SqlInfo.FlightSqlServerSql] = true,
        [(uint)SqlInfo.FlightSqlServerSubstrait] = false,
        // SqlSupportedTransaction NONE: transactions are not offered through Flight SQL's actions.
        [(uint)SqlInfo.FlightSqlServerTransaction] = 0,
        // No CancelQuery action: a client cancels by cancelling its DoGet stream, which interrupts the engine.
        [(uint)SqlInfo.FlightSqlServerCancel] = false,
        [(uint)SqlInfo.SqlDdlCatalog] = false,
        [(uint)SqlInfo.SqlDdlSchema] = false,
        [(uint)SqlInfo.SqlDdlTable] = !options.ReadOnly,
        [(uint)SqlInfo.SqlIdentifierQuoteChar] = "\"",
    };

    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+<commit>"; the version alone is what a client shows.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
