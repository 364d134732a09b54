using System.Buffers.Binary;
using Npgsql;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// The tuples of one binary COPY (<c>COPY (SELECT …) TO STDOUT (FORMAT BINARY)</c>), read through Npgsql's raw copy
/// stream into one buffer and handed out whole, as spans over the bytes the server sent, for
/// <see cref="PostgreSqlCopyChunk.AddRow"/> to decode: no Npgsql call per value, no managed value per cell. The stream
/// gives at most one CopyData message (one row) per read, so a fill reads many before the buffer is decoded; the buffer
/// grows only for a row larger than it. The caller's token is registered once for the whole COPY (a cancel request
/// to the server), not once per read.
/// </summary>
internal sealed class PostgreSqlCopyStreamReader : IAsyncDisposable
{
    private const int InitialBufferSize = 256 * 1024;

    // A fill stops reading once less than this is free: the rows in the buffer are decoded first.
    private const int RefillBelow = 16 * 1024;

    // "PGCOPY\n\377\r\n\0", then the flags and the header extension's length (both int32).
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 255, (byte)'\r', (byte)'\n', 0];

    private readonly NpgsqlRawCopyStream _stream;
    private readonly int _columns;
    private readonly CancellationTokenRegistration _cancellation;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _headerRead;
    private bool _streamEnded;

    private PostgreSqlCopyStreamReader(NpgsqlRawCopyStream stream, int columns, CancellationToken cancellationToken)
    {
        _stream = stream;
        _columns = columns;
        _cancellation = cancellationToken.Register(static s => ((NpgsqlRawCopyStream)s!).Cancel(), stream);
    }

    /// <summary>Whether the COPY's trailer has been read (every tuple was handed out).</summary>
    public bool Finished { get; private set; }

    /// <summary>Starts <paramref name="sql"/> (a binary COPY TO STDOUT of <paramref name="columns"/> columns).</summary>
    public static async Task<PostgreSqlCopyStreamReader> StartAsync(NpgsqlConnection connection, string sql, int columns, CancellationToken cancellationToken)
    {
        var stream = await connection.BeginRawBinaryCopyAsync(sql, cancellationToken).ConfigureAwait(false);
        return new PostgreSqlCopyStreamReader(stream, columns, cancellationToken);
    }

    /// <summary>
    /// Reads more of the COPY into the buffer (keeping the part of a row not handed out yet); false when the stream
    /// has ended. A cancellation of the caller's token arrives as <see cref="OperationCanceledException"/>.
    /// </summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_streamEnded)
        {
            return false;
        }

        Compact();
        try
        {
            do
            {
                // No token per read: the COPY-wide registration cancels it.
                var read = await _stream.ReadAsync(_buffer.AsMemory(_end), CancellationToken.None).ConfigureAwait(false);
                if (read == 0)
                {
                    _streamEnded = true;
                    break;
                }

                _end += read;
            }
            while (_buffer.Length - _end >= RefillBelow);
        }
        catch (PostgresException ex) when (cancellationToken.IsCancellationRequested && ex.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            throw new OperationCanceledException("The initial copy was cancelled.", ex, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// The next whole tuple's fields (after its field count) in the buffer, or false when the buffer holds no whole
    /// tuple (call <see cref="FillAsync"/>) or the trailer was reached (<see cref="Finished"/>).
    /// </summary>
    public bool TryReadTuple(out ReadOnlySpan<byte> fields)
    {
        fields = default;
        if (Finished || (!_headerRead && !TryReadHeader()))
        {
            return false;
        }

        var available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < 2)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadInt16BigEndian(available);
        if (count == -1)
        {
            Finished = true;
            _start += 2;
            return false;
        }

        if (count != _columns)
        {
            throw new NpgsqlException($"the COPY sent {count} fields where {_columns} were selected");
        }

        var position = 2;
        for (var i = 0; i < count; i++)
        {
            if (available.Length - position < 4)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(available[position..]);
            position += 4;
            if (length > 0)
            {
                if (available.Length - position < length)
                {
                    return false;
                }

                position += length;
            }
        }

        fields = available[2..position];
        _start += position;
        return true;
    }

    /// <summary>Reads the rest of the COPY without decoding it (after a value that cannot map), so the connection stays usable.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _start = _end = 0;
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            _start = _end = 0;
        }

        Finished = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _cancellation.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private bool TryReadHeader()
    {
        var available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < Signature.Length + 8)
        {
            return false;
        }

        if (!available[..Signature.Length].SequenceEqual(Signature))
        {
            throw new NpgsqlException("the COPY did not start with the binary COPY signature");
        }

        var extension = BinaryPrimitives.ReadInt32BigEndian(available[(Signature.Length + 4)..]);
        if (available.Length < Signature.Length + 8 + extension)
        {
            return false;
        }

        _start += Signature.Length + 8 + extension;
        _headerRead = true;
        return true;
    }

    /// <summary>Moves the part not handed out to the front, and doubles the buffer when a row fills it alone.</summary>
    private void Compact()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_buffer.Length - _end < RefillBelow)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}
