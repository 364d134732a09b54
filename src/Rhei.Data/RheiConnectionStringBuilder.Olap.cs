using System.Globalization;

namespace Rhei.Data;

// The DuckDB mirror's memory: how much DuckDB's buffer manager may hold (see docs/architecture.md, "DuckDB's memory").
public sealed partial class RheiConnectionStringBuilder
{
    /// <summary>The smallest limit accepted: below it DuckDB cannot hold the row groups of even a narrow table's load.</summary>
    internal const long MinimumOlapMemoryLimit = 16L * 1024 * 1024;

    private static readonly (string Unit, long Bytes)[] s_memoryUnits =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1_000L), ("MB", 1_000_000L), ("GB", 1_000_000_000L), ("TB", 1_000_000_000_000L),
        ("B", 1L),
    ];

    /// <summary>
    /// The most memory DuckDB may use for the mirror (its <c>memory_limit</c>), as a size with a unit: <c>512MB</c>,
    /// <c>2GiB</c>. Empty (default) leaves DuckDB's own default, 80% of the machine's memory. A durable mirror
    /// (<see cref="OlapPath"/>) keeps its table storage in its file and pages it in and out within the limit; an
    /// in-memory mirror must hold its rows, and a load or query that needs more fails with DuckDB's out-of-memory error.
    /// </summary>
    public string OlapMemoryLimit
    {
        get => GetString(OlapMemoryLimitKeyword) ?? string.Empty;
        set => this[OlapMemoryLimitKeyword] = value;
    }

    /// <summary><see cref="OlapMemoryLimit"/> in bytes, or null when not set.</summary>
    internal long? OlapMemoryLimitBytes => ParseMemorySize(OlapMemoryLimitKeyword, GetString(OlapMemoryLimitKeyword));

    /// <summary>A size such as <c>512MB</c>, <c>1.5 GiB</c> or <c>268435456B</c>; null for empty text.</summary>
    /// <exception cref="ArgumentException">Not a size with a unit, or below <see cref="MinimumOlapMemoryLimit"/>; names the key.</exception>
    private static long? ParseMemorySize(string keyword, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        foreach (var (unit, bytes) in s_memoryUnits)
        {
            if (!trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var number = trimmed[..^unit.Length].TrimEnd();
            if (decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
            {
                // decimal holds amount × bytes exactly up to long's range; beyond it the size is refused below.
                var size = amount <= long.MaxValue / (decimal)bytes ? amount * bytes : decimal.MaxValue;
                if (size is >= MinimumOlapMemoryLimit and <= long.MaxValue)
                {
                    return (long)size;
                }

                throw new ArgumentException(
                    $"Invalid value '{text}' for connection string keyword '{keyword}': the limit must be at least 16MiB (DuckDB needs room for the row groups of a load), and at most {long.MaxValue} bytes.",
                    keyword);
            }

            break;
        }

        throw new ArgumentException(
            $"Invalid value '{text}' for connection string keyword '{keyword}'. Expected a size with a unit, for example '512MB' or '2GiB' (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB).",
            keyword);
    }
}
