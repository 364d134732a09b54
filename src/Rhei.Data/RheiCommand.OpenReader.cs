using System.Data;

namespace Rhei.Data;

/// <summary>
/// The reader a command has open. As in Microsoft.Data.Sqlite, while it is open the command refuses new text, a new
/// connection and another execution, whichever engine the reader reads from.
/// </summary>
public sealed partial class RheiCommand
{
    private RheiDataReader? _openReader;

    /// <summary>Every reader the command returns comes through here: engine errors translated, the reader tracked.</summary>
    private async Task<RheiDataReader> ExecuteReaderCoreAsync(CommandBehavior behavior, bool async, CommandPlan? plan, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfReaderOpen();
        RheiDataReader reader;
        try
        {
            reader = await ExecuteReaderUntrackedAsync(behavior, async, plan, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RheiException.TryTranslate(ex, out var translated))
        {
            // Backstop: whatever engine call below failed, the user sees the public exception naming the engine.
            throw translated;
        }

        // Like Microsoft.Data.Sqlite, a command with an open reader refuses new text, a new connection and a second execution.
        reader.AttachCommand(this);
        _openReader = reader;
        RecordAnswered(reader.Route);
        return reader;
    }

    /// <summary>Called by the reader this command returned when it closes.</summary>
    internal void OnReaderClosed(RheiDataReader reader)
    {
        if (ReferenceEquals(_openReader, reader))
        {
            _openReader = null;
            EndReaderTelemetry();
        }
    }

    private void ThrowIfReaderOpen(string property)
    {
        if (_openReader is { IsClosed: false })
        {
            throw new InvalidOperationException($"An open reader is associated with this command. Close it before changing the {property} property.");
        }
    }

    private void ThrowIfReaderOpen()
    {
        if (_openReader is { IsClosed: false })
        {
            throw new InvalidOperationException("An open reader is already associated with this command. Close it before opening a new one.");
        }
    }
}
