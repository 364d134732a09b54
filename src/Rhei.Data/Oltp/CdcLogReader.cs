using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Oltp;

/// <summary>
/// Reads a batch of change events after a watermark and, in the same read transaction, the rows
/// they point at, so that log and rows agree; compacts destructive changes per key.
/// </summary>
internal static class CdcLogReader
{
    private static readonly string s_keyList = string.Join(", ", ReplicationTables.KeyColumns);

    /// <param name="connection">An open connection of the engine's own.</param>
    /// <param name="watermark">Events up to and including this sequence number are applied already.</param>
    /// <param name="batchSize">Most events to read.</param>
    /// <param name="resolve">The schema of a table to capture, or null for a table to skip (unknown or quarantined).</param>
    /// <param name="floor">Per table, the sequence number its last full load covers: older events are in the mirror already.</param>
    /// <param name="mode">Whether the mirror keeps current rows or history.</param>
    public static ChangeBatch Read(
        SqliteConnection connection,
        long watermark,
        int batchSize,
        Func<string, TableSchema?> resolve,
        Func<string, long> floor,
        RheiSyncMode mode)
    {
        var batch = new ChangeBatch(watermark) { ToInclusive = watermark };
        using var transaction = connection.BeginTransaction(deferred: true);
        batch.RegistryVersion = SchemaRegistry.ReadVersion(connection, transaction);
        batch.HighWater = ReplicationTables.MaxSequence(connection, transaction);
        batch.PrunedThrough = ReplicationTables.ReadMeta(connection, CdcLogPruner.PrunedThroughKey, transaction);

        // Destructive: table → key → (first op, the row as SQLite holds it, filled in by ReadRows), in first-seen order.
        var pending = new Dictionary<string, PendingKeys>(StringComparer.OrdinalIgnoreCase);
        var phase = ApplyPhaseTimes.Start();
        using (var reader = new SqliteRowReader(connection, $"SELECT seq, tbl, op, {s_keyList}, ts, img FROM {ReplicationTables.CdcLog} WHERE seq > $from ORDER BY seq LIMIT $limit"))
        {
            reader.Bind(1, watermark);
            reader.Bind(2, batchSize);

            // Batches are mostly runs of one table: its name, schema, floor and key map are looked
            // up when the name changes, not per event.
            byte[] lastName = [];
            var lastKnown = false;
            TableSchema? schema = null;
            TableChanges? changes = null;
            PendingKeys? keys = null;
            long tableFloor = 0;
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                if (batch.EventCount == 0)
                {
                    batch.FirstSequence = seq;
                }

                batch.ToInclusive = seq;
                batch.EventCount++;

                var name = reader.Cell(1) is { } nameCell ? nameCell.Utf8 : reader.GetUtf8(1);
                if (!lastKnown || !name.SequenceEqual(lastName))
                {
                    lastName = name.ToArray();
                    lastKnown = true;
                    schema = resolve(reader.GetString(1));
                    tableFloor = schema is null ? 0 : floor(schema.Name);
                    changes = null;
                    keys = null;
                }

                if (schema is null)
                {
                    batch.UnknownTables.Add(reader.GetString(1));
                    continue;
                }

                if (seq <= tableFloor)
                {
                    continue;
                }

                if (changes is null && !batch.Tables.TryGetValue(schema.Name, out changes))
                {
                    changes = new TableChanges(schema);
                    batch.Tables.Add(schema.Name, changes);
                }

                if (changes.QuarantineReason is not null)
                {
                    continue;
                }

                var op = (char)(reader.Cell(2) is { } opCell ? opCell.Utf8 : reader.GetUtf8(2))[0];
                var keyCount = schema.KeyOrdinals.Count;
                if (NullKeyColumn(reader, keyCount) is { } nullKey)
                {
                    // SQLite allows NULL in the key of a rowid table unless it is INTEGER PRIMARY KEY or NOT NULL;
                    // the mirror keys rows by primary key, so such rows cannot be told apart: quarantine, never drop.
                    changes.QuarantineReason = MirrorTypeFit.NullKey(schema, nullKey);
                    changes.OffendingKey = RowKeyComparer.Format(ReadKey(reader, keyCount));
                    continue;
                }

                if (mode == RheiSyncMode.Temporal)
                {
                    ReadVersion(reader, schema, changes, op, ReadKey(reader, keyCount));
                    continue;
                }

                if (keys is null && !pending.TryGetValue(schema.Name, out keys))
                {
                    keys = new PendingKeys(keyCount);
                    pending.Add(schema.Name, keys);
                }

                // Only the first operation matters: it tells an insert from an update or delete.
                if (keyCount == 1 && reader.Cell(3) is { StorageClass: SQLitePCL.raw.SQLITE_INTEGER } keyCell)
                {
                    keys.Add(keyCell.Int64, op);
                }
                else if (keyCount == 1 && !SqliteRowReader.HasCells && reader.StorageClass(3) == SQLitePCL.raw.SQLITE_INTEGER)
                {
                    keys.Add(reader.GetInt64(3), op);
                }
                else
                {
                    keys.Add(ReadKey(reader, keyCount), op);
                }
            }
        }

        phase = ApplyPhaseTimes.Stop(ApplyPhase.LogRead, phase);
        foreach (var (tableName, keys) in pending)
        {
            var changes = batch.Tables[tableName];
            if (changes.QuarantineReason is null && ReadRows(connection, batch, changes, keys))
            {
                phase = ApplyPhaseTimes.Stop(ApplyPhase.RowRead, phase);
                ChangeCompactor.AddNetChanges(changes, keys);
                phase = ApplyPhaseTimes.Stop(ApplyPhase.Compaction, phase);
            }
        }

        transaction.Commit();
        return batch;
    }

    /// <summary>The column's value when it is an INTEGER, read with one cell; null otherwise.</summary>
    private static long? IntegerAt(SqliteRowReader reader, int column)
    {
        if (reader.Cell(column) is { } cell)
        {
            return cell.StorageClass == SQLitePCL.raw.SQLITE_INTEGER ? cell.Int64 : null;
        }

        return reader.StorageClass(column) == SQLitePCL.raw.SQLITE_INTEGER ? reader.GetInt64(column) : null;
    }

    private static int? NullKeyColumn(SqliteRowReader reader, int keyCount)
    {
        for (var k = 0; k < keyCount; k++)
        {
            if (reader.IsNull(3 + k))
            {
                return k;
            }
        }

        return null;
    }

    private static object?[] ReadKey(SqliteRowReader reader, int keyCount)
    {
        var key = new object?[keyCount];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = reader.GetValue(3 + k);
        }

        return key;
    }

    /// <summary>Reads the current row of every key the batch logged for a table into its entry; false when a row does not fit the mirror.</summary>
    private static bool ReadRows(SqliteConnection connection, ChangeBatch batch, TableChanges changes, PendingKeys keys)
    {
        var schema = changes.Schema;
        var join = string.Join(" AND ", schema.KeyOrdinals.Select((ordinal, k) => "t." + schema.QuotedColumns[ordinal] + " = l." + ReplicationTables.KeyColumns[k]));

        // One set-based read of the current rows of every key the batch touched; the key
        // comparison puts the table's column first so its collation and index apply.
        using var reader = new SqliteRowReader(
            connection,
            $"SELECT {string.Join(", ", schema.QuotedColumns.Select(c => "t." + c))} FROM {ReplicationTables.CdcLog} AS l JOIN {schema.QuotedName} AS t ON {join} WHERE l.seq > $from AND l.seq <= $to AND l.tbl = $tbl");
        reader.Bind(1, batch.FromExclusive);
        reader.Bind(2, batch.ToInclusive);
        reader.Bind(3, schema.Name);
        var types = schema.MirrorTypes;
        var keyOrdinals = schema.KeyOrdinals;
        var integerKey = keyOrdinals.Count == 1 ? keyOrdinals[0] : -1;
        object?[]? key = null;
        while (reader.Read())
        {
            // A single INTEGER key is looked up before the row is read: a key logged more than once joins once
            // per event, and those repeats are skipped without boxing their values.
            ref var entry = ref Unsafe.NullRef<PendingKeys.Entry>();
            var found = false;
            if (integerKey >= 0 && IntegerAt(reader, integerKey) is { } integer)
            {
                entry = ref keys.Find(integer);
                found = true;
                if (!Unsafe.IsNullRef(ref entry) && entry.Values is not null)
                {
                    continue;
                }
            }

            var values = new object?[types.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.GetValue(i);
            }

            // The key array is reused until a row is kept: most rows are kept, duplicates are not.
            key ??= new object?[keyOrdinals.Count];
            for (var k = 0; k < key.Length; k++)
            {
                key[k] = values[keyOrdinals[k]];
            }

            if (!found)
            {
                entry = ref keys.Find(key);
            }

            if (!Unsafe.IsNullRef(ref entry))
            {
                if (entry.Values is not null)
                {
                    continue;
                }

                entry.Values = values;
            }

            // Every row read is checked once, kept or not (a key matched under the column's
            // collation may differ from the logged one); the first misfit quarantines the table.
            if (!CheckRow(schema, values, changes, key))
            {
                return false;
            }

            if (!Unsafe.IsNullRef(ref entry))
            {
                key = null;
            }
        }

        return true;
    }

    private static void ReadVersion(SqliteRowReader reader, TableSchema schema, TableChanges changes, char op, object?[] key)
    {
        var ts = reader.IsNull(3 + TableSchema.MaxKeyColumns) ? 0 : reader.GetInt64(3 + TableSchema.MaxKeyColumns);
        object?[]? values = null;
        if (op != 'D')
        {
            values = reader.IsNull(4 + TableSchema.MaxKeyColumns)
                ? new object?[schema.Columns.Count]
                : ParseImage(schema, reader.GetUtf8(4 + TableSchema.MaxKeyColumns));
            if (!CheckRow(schema, values, changes, key))
            {
                return;
            }
        }

        changes.Versions.Add(new TemporalEvent(op, ts, key, values));
        switch (op)
        {
            case 'I':
                changes.Inserted++;
                break;
            case 'U':
                changes.Updated++;
                break;
            default:
                changes.Deleted++;
                break;
        }
    }

    /// <summary>Applies the mirror's type-fit rule to a row read; on a misfit marks the table for quarantine.</summary>
    private static bool CheckRow(TableSchema schema, object?[] values, TableChanges changes, object?[] key)
    {
        if (MirrorTypeFit.FirstMisfit(schema, values) is not { } column)
        {
            return true;
        }

        changes.QuarantineReason = MirrorTypeFit.Misfit(schema, column, values[column]);
        changes.OffendingKey = RowKeyComparer.Format(key);
        return false;
    }

    private static object? Normalize(object value) => value is DBNull ? null : value;

    /// <summary>
    /// Reads the image straight from SQLite's UTF-8 bytes in one forward pass: building a JsonDocument from a
    /// decoded string per event was most of temporal apply's cost. The values are exactly those of
    /// <see cref="ParseImageDocument"/> (the last duplicate property wins, as TryGetProperty finds it; names match
    /// case-sensitively after unescaping), which still handles what a forward pass cannot reproduce cheaply.
    /// </summary>
    internal static object?[] ParseImage(TableSchema schema, ReadOnlySpan<byte> utf8)
    {
        // Ill-formed UTF-8 (text SQLite stored as is) is decoded to U+FFFD by the string path; the reader would throw.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return ParseImageDocument(schema, System.Text.Encoding.UTF8.GetString(utf8));
        }

        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ParseImageDocument(schema, System.Text.Encoding.UTF8.GetString(utf8));
        }

        var values = new object?[schema.Columns.Count];
        var names = schema.Utf8ColumnNames;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // json_object writes the columns in table order, so the expected column is tried first.
            var column = -1;
            for (var probe = 0; probe < names.Count; probe++)
            {
                var i = (next + probe) % names.Count;
                if (reader.ValueTextEquals(names[i]))
                {
                    column = i;
                    break;
                }
            }

            reader.Read();
            if (column < 0)
            {
                reader.Skip();
                continue;
            }

            next = column + 1;
            values[column] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Number(reader.ValueSpan),
                JsonTokenType.True => 1L,
                JsonTokenType.False => 0L,
                JsonTokenType.Null => null,
                _ => Nested(ref reader, utf8),
            };
        }

        return values;
    }

    /// <summary>As <see cref="FromJson"/> reads a number: an integer unless written with a fraction or exponent.</summary>
    private static object Number(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && System.Buffers.Text.Utf8Parser.TryParse(raw, out long l, out var consumed) && consumed == raw.Length)
        {
            return l;
        }

        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>An object or array value (a blob's {"$b": hex}, rarely anything else), read as the document path reads it.</summary>
    private static object? Nested(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        using var document = JsonDocument.Parse(utf8[start..(int)reader.BytesConsumed].ToArray());
        return FromJson(document.RootElement);
    }

    private static object?[] ParseImageDocument(TableSchema schema, string json)
    {
        var values = new object?[schema.Columns.Count];
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        for (var i = 0; i < values.Length; i++)
        {
            if (root.TryGetProperty(schema.Columns[i].Name, out var element))
            {
                values[i] = FromJson(element);
            }
        }

        return values;
    }

    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && element.TryGetInt64(out var l))
                {
                    return l;
                }

                return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.Object when element.TryGetProperty("$b", out var hex):
                return Convert.FromHexString(hex.GetString() ?? string.Empty);
            case JsonValueKind.True:
                return 1L;
            case JsonValueKind.False:
                return 0L;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            default:
                return element.GetRawText();
        }
    }
}
