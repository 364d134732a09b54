namespace Rhei.Data.FlightSql.Internal;

/// <summary>One parameter value read from a DoPut batch: bound by name when it has one, else by position.</summary>
internal readonly record struct BoundParameter(string? Name, object Value);
