namespace Rhei.Data.Olap;

/// <summary>A SQLite value its mirror column cannot hold exactly: the table is to be quarantined.</summary>
internal sealed class MirrorMisfitException : Exception
{
    public MirrorMisfitException(string table, string reason, string offendingKey)
        : base($"Table '{table}': {reason} Key {offendingKey}.")
    {
        Table = table;
        Reason = reason;
        OffendingKey = offendingKey;
    }

    public string Table { get; }

    public string Reason { get; }

    public string OffendingKey { get; }
}
