using Rhei.Data.Sidecar;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

internal static class SidecarTestSettings
{
    public static SidecarSettings For(string connectionString, params string[] tables)
        => new(connectionString, tables, "updated_at", "created_at", SidecarDeleteDetection.Disabled, null, 1000);
}
