using System.Text.RegularExpressions;

namespace Rhei.Tool;

/// <summary>
/// Removes passwords from anything the tool prints. Rhei.Data's own messages never carry one, but the tool also prints
/// what it was given (an error about a connection string, an exception from a library underneath), so every line it
/// writes goes through here: a <c>Password=</c>/<c>Pwd=</c> pair anywhere (also inside a quoted Npgsql string) is
/// masked, and so is the literal value wherever else it appears.
/// </summary>
internal static partial class SecretScrubber
{
    public static string Scrub(string text, string? connectionString)
    {
        var scrubbed = PasswordPair().Replace(text, "$1=***");
        foreach (var secret in Secrets(connectionString))
        {
            scrubbed = scrubbed.Replace(secret, "***", StringComparison.Ordinal);
        }

        return scrubbed;
    }

    private static IEnumerable<string> Secrets(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            yield break;
        }

        foreach (Match match in PasswordPair().Matches(connectionString))
        {
            var value = match.Groups[2].Value.Trim().Trim('\'', '"');
            if (value.Length >= 3)
            {
                yield return value;
            }
        }
    }

    [GeneratedRegex(@"(?i)\b(password|pwd)\s*=\s*('[^']*'|""[^""]*""|[^;""']*)")]
    private static partial Regex PasswordPair();
}
