using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// Copies a <c>char*</c> the caller owns (parameter names, enum dictionary values) and releases it with
/// <c>duckdb_free</c>, the allocator DuckDB used, rather than the runtime's default <c>free</c>.
/// </summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(DuckDbOwnedStringMarshaller))]
internal static unsafe class DuckDbOwnedStringMarshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Marshal.PtrToStringUTF8((nint)unmanaged);

    public static void Free(byte* unmanaged)
    {
        if (unmanaged != null)
        {
            NativeMethods.Helpers.Free((nint)unmanaged);
        }
    }
}
