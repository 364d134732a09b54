using DuckDB.NET.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// Creates the DuckDB data chunks the initial load (<see cref="MirrorLoadBatch"/>) and the apply
/// (<see cref="ApplyChunks"/>) fill cell by cell: one vector per column of the given types. The logical types live only
/// while the chunk is created (DuckDB copies them into it).
/// </summary>
internal static class MirrorDataChunks
{
    /// <param name="types">The columns' DuckDB types, in order.</param>
    /// <param name="purpose">What the chunk is for, named in the error if DuckDB cannot create it.</param>
    public static DuckDBDataChunk Create(DuckDBType[] types, string purpose)
    {
        var logical = new DuckDBLogicalType[types.Length];
        try
        {
            var handles = new nint[types.Length];
            for (var i = 0; i < types.Length; i++)
            {
                logical[i] = DuckDBNative.LogicalType.DuckDBCreateLogicalType(types[i]);
                handles[i] = logical[i].DangerousGetHandle();
            }

            var chunk = DuckDBNative.DataChunks.DuckDBCreateDataChunk(handles, (ulong)types.Length);
            if (chunk.IsInvalid)
            {
                chunk.Dispose();
                throw new DuckDbException($"DuckDB could not create a data chunk for {purpose}.");
            }

            return chunk;
        }
        finally
        {
            foreach (var type in logical)
            {
                type?.Dispose();
            }
        }
    }
}
