using DuckDB.NET.Native;
using Rhei.Data.Olap.Native;

namespace Rhei.Data.Olap;

/// <summary>Whole data chunks filled outside the appender (the initial load's reading thread).</summary>
internal sealed partial class DuckDbAppender
{
    /// <summary>
    /// Appends a whole data chunk filled elsewhere (its column types must be the table's, so DuckDB takes its
    /// no-cast path and copies the rows, strings included: the chunk can be reset right after). Rows appended
    /// value by value before it are handed over first, so the order of rows is kept.
    /// </summary>
    internal void AppendDataChunk(DuckDBDataChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        EnsureOpen();
        if (_column != 0)
        {
            FailAndClear("A data chunk cannot be appended in the middle of a row.");
        }

        if (_rowMode)
        {
            // Per-value rows wait in DuckDB's own buffer; a chunk would overtake them.
            Flush();
        }
        else
        {
            AppendChunk();
        }

        bool added = false;
        try
        {
            chunk.DangerousAddRef(ref added);
            Check(DuckDbNativeMethods.Appender.AppendDataChunk(_appender, chunk.DangerousGetHandle()), prefix: null);
        }
        finally
        {
            if (added)
            {
                chunk.DangerousRelease();
            }
        }
    }
}
