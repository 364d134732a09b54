namespace Rhei.Tool.Repl;

/// <summary>
/// The statements entered, oldest first, kept in a file between sessions when one is given (<c>RHEI_HISTORY</c>, else
/// <c>~/.rhei_history</c> on a terminal). A history file is the user's own: a line that names a password is not kept.
/// </summary>
internal sealed class ReplHistory
{
    private const int Capacity = 1000;
    private readonly List<string> _entries = [];
    private readonly string? _file;

    public ReplHistory(string? file)
    {
        _file = file;
        if (file is not null && File.Exists(file))
        {
            _entries.AddRange(File.ReadLines(file).TakeLast(Capacity));
        }
    }

    public int Count => _entries.Count;

    public string this[int index] => _entries[index];

    public IReadOnlyList<string> Entries => _entries;

    public void Add(string entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || entry.Contains("password", StringComparison.OrdinalIgnoreCase)
            || (_entries.Count > 0 && _entries[^1] == entry))
        {
            return;
        }

        _entries.Add(entry);
        if (_file is null)
        {
            return;
        }

        try
        {
            File.AppendAllLines(_file, [entry.ReplaceLineEndings(" ")]);
        }
        catch (IOException)
        {
            // History is a convenience: a read-only home directory must not stop the session.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static string? DefaultFile(bool terminal)
    {
        if (Environment.GetEnvironmentVariable("RHEI_HISTORY") is { Length: > 0 } configured)
        {
            return configured;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return terminal && home.Length > 0 ? Path.Combine(home, ".rhei_history") : null;
    }
}
