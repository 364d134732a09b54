namespace Rhei.Data.Diagnostics;

/// <summary>
/// One lag reading of a registered lag source (see <see cref="RheiMetrics.RegisterLagSource"/>): how many events
/// are waiting and for how long the oldest of them has been.
/// </summary>
/// <param name="Table">The table the reading is about (the <c>db.collection.name</c> tag), or null for the source as a whole.</param>
/// <param name="Events">Events not yet applied or consumed.</param>
/// <param name="Time">How long the reader has been behind; <see cref="TimeSpan.Zero"/> when <paramref name="Events"/> is 0.</param>
internal readonly record struct RheiLagMeasurement(string? Table, long Events, TimeSpan Time);
