namespace Rhei.Data.Bridge;

/// <summary>What one chunk read from SQLite's log put into a bridge write batch, with the log's high-water mark in the same snapshot.</summary>
internal readonly record struct BridgeChunk(long Count, long FirstSequence, long LastSequence, long HighWater);
