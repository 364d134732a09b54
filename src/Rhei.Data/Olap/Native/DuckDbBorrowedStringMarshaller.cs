using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Rhei.Data.Olap.Native;

/// <summary>
/// Copies a <c>const char*</c> that DuckDB owns (error messages, column names) and never frees it.
/// </summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(DuckDbBorrowedStringMarshaller))]
internal static unsafe class DuckDbBorrowedStringMarshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Marshal.PtrToStringUTF8((nint)unmanaged);
}
