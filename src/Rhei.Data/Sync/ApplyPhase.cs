namespace Rhei.Data.Sync;

/// <summary>The parts of applying captured changes that <see cref="ApplyPhaseTimes"/> times separately.</summary>
internal enum ApplyPhase
{
    /// <summary>Stepping through the change log's events of a batch (destructive: the keys; temporal: parsing each image too).</summary>
    LogRead,

    /// <summary>Reading the current rows of the batch's keys from SQLite (destructive only).</summary>
    RowRead,

    /// <summary>Folding the events of each key into its net change.</summary>
    Compaction,

    /// <summary>Appending the batch's keys into DuckDB's staging table.</summary>
    Stage,

    /// <summary>The DuckDB DELETE (destructive) or UPDATE closing live versions (temporal) joining the stage.</summary>
    Delete,

    /// <summary>Appending the new rows or versions into the mirror.</summary>
    Append,

    /// <summary>A batch of one changed row, updated in place (or inserted) as one statement without a transaction around it.</summary>
    Upsert,

    /// <summary>The rest of the DuckDB transaction: begin and commit.</summary>
    MirrorCommit,

    /// <summary>Writing the batch's stored position into the mirror, inside its transaction.</summary>
    Position,

    /// <summary>Recording this engine's position in the consumer table.</summary>
    ConsumerUpdate,

    /// <summary>Deleting applied events from the change log.</summary>
    Prune,

    /// <summary>A Strong read's check of the log's position (SQLite's data_version, and the log's high water after a commit).</summary>
    StrongProbe,

    /// <summary>A Strong read's whole wait for the catch-up, from asking the pipeline until it goes ahead (includes the cycle's phases up to the apply).</summary>
    StrongWait,

    /// <summary>A cycle's checks before its first batch: the source's schema version and continuity, and the log's position.</summary>
    CycleChecks,
}
