using System.Globalization;

namespace Rhei.Data.Sidecar;

/// <summary>
/// Reads a source's timestamp value as an instant, so temporal mirrors take <c>_rhei_valid_from</c> in the source's
/// time: integers are epoch milliseconds (rhei's convention), reals SQLite Julian day numbers, text ISO 8601 (UTC when
/// it carries no offset), and the CLR date/time types as they are.
/// </summary>
internal static class SidecarTime
{
    private const double UnixEpochJulianDay = 2440587.5;

    /// <summary>The instant a value stands for, or null when it is NULL or not a time.</summary>
    public static DateTimeOffset? ToInstant(object? value) => value switch
    {
        null or DBNull => null,
        long ms => FromMilliseconds(ms),
        int ms => FromMilliseconds(ms),
        double julian when double.IsFinite(julian) => FromMilliseconds((long)Math.Round((julian - UnixEpochJulianDay) * 86_400_000d)),
        DateTimeOffset instant => instant,
        DateTime time => new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime()),
        DateOnly date => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>Epoch milliseconds of an instant, as the temporal mirror's period columns hold them.</summary>
    public static long ToEpochMilliseconds(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    private static DateTimeOffset? FromMilliseconds(long ms)
        => ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
