using Microsoft.EntityFrameworkCore;

namespace Rhei.EntityFrameworkCore.Infrastructure.Internal;

/// <summary>
/// Refuses an EF Core major version other than the one Rhei was built against: Rhei derives from and replaces
/// internal services of the SQLite provider, which may change shape between majors without notice.
/// </summary>
public static class RheiEfVersion
{
    /// <summary>The EF Core major version Rhei.EntityFrameworkCore is built for.</summary>
    public const int SupportedMajor = 10;

    /// <summary>Throws when the loaded EF Core is not <see cref="SupportedMajor"/>.x.</summary>
    public static void EnsureSupported()
    {
        var version = typeof(DbContext).Assembly.GetName().Version;
        if (version is not null && version.Major != SupportedMajor)
        {
            throw new InvalidOperationException(
                $"Rhei.EntityFrameworkCore supports EF Core {SupportedMajor}.x, but EF Core {version} is loaded. Use the Rhei.EntityFrameworkCore release built for your EF Core version.");
        }
    }
}
