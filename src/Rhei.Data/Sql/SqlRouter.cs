namespace Rhei.Data.Sql;

/// <summary>
/// Decides which engine answers a statement. The rules are ordered so that correctness
/// (availability, transactions, writes, replication state) always beats speed (shape).
/// </summary>
internal static class SqlRouter
{
    public static RouteDecision Decide(SqlStatement stmt, in RouteContext ctx)
    {
        ArgumentNullException.ThrowIfNull(stmt);
        var sideEffects = !stmt.IsRead;

        if (!ctx.OlapAvailable)
        {
            return new(RheiRoute.Oltp, "analytical mirror unavailable", RouteRule.OlapUnavailable);
        }

        if (ctx.InTransaction)
        {
            return new(RheiRoute.Oltp, "inside an explicit transaction", RouteRule.InTransaction);
        }

        // An explicit request beats a hint comment, which beats the data source default.
        var (forced, rule, source) = ctx.Requested != RheiRoute.Auto ? (ctx.Requested, RouteRule.Requested, "requested on the command")
            : stmt.Hint is { } hint && hint != RheiRoute.Auto ? (hint, RouteRule.Hint, "hint comment")
            : (RheiRoute.Auto, RouteRule.DefaultRoute, "default route");

        if (forced == RheiRoute.Olap && sideEffects)
        {
            return new(RheiRoute.Olap, $"{Describe(stmt)} cannot run on the analytical mirror ({source})", RouteRule.WriteToOlapRefused);
        }

        // A hint (or the data source default) is advice: it skips the shape rules, never the checks that keep the answer
        // SQLite's. Only RheiCommand.Route is an order.
        if (forced == RheiRoute.Olap && rule != RouteRule.Requested && MirrorCannotAnswer(stmt, ctx) is { } unfaithful)
        {
            return unfaithful with { Reason = $"{unfaithful.Reason} ({source} ignored)" };
        }

        if (forced != RheiRoute.Auto)
        {
            return new(forced, source, rule);
        }

        if (sideEffects)
        {
            return new(RheiRoute.Oltp, Describe(stmt) + " runs on SQLite", RouteRule.SideEffects);
        }

        if (MirrorCannotAnswer(stmt, ctx) is { } decision)
        {
            return decision;
        }

        if (stmt.HasTemporalSyntax)
        {
            return new(RheiRoute.Olap, stmt.TemporalClauses.Count > 0 ? "FOR SYSTEM_TIME query" : "reads period columns", RouteRule.Temporal);
        }

        if (stmt.Has(SqlFeatures.DuckDbOnlySyntax))
        {
            return new(RheiRoute.Olap, "DuckDB-only syntax", RouteRule.DuckDbOnlySyntax);
        }

        if (ctx.DefaultRoute != RheiRoute.Auto)
        {
            return new(ctx.DefaultRoute, "default route", RouteRule.DefaultRoute);
        }

        if (stmt.Tables.Count == 0)
        {
            // Constant selects and table functions: nothing to gain from the mirror.
            return new(RheiRoute.Oltp, "reads no replicated table", RouteRule.NoTables);
        }

        if (ByQueryPlan(stmt, ctx, out var smallScan) is { } byPlan)
        {
            return byPlan;
        }

        if ((stmt.Features & SqlFeatures.Analytical) != 0)
        {
            return new(RheiRoute.Olap, DescribeShape(stmt.Features) + " over replicated tables", RouteRule.Analytical);
        }

        var lookup = stmt.Lookup switch
        {
            SqlLookupKind.Point => "point lookup",
            SqlLookupKind.Range => "range lookup",
            _ => "plain select",
        };

        // A full scan below the threshold stays here, and the reason says so: the plan fact is what a reader of ExplainRoute
        // needs to see why a scan did not move (and what raising the table past the threshold would change).
        return smallScan is { } scan
            ? new(RheiRoute.Oltp, $"{lookup}; {scan}", RouteRule.Lookup) { SizeDependent = true }
            : new(RheiRoute.Oltp, lookup, RouteRule.Lookup);
    }

    /// <summary>
    /// Asks SQLite how it would run the read (the shape guesses; the plan knows): a read without analytical shape that
    /// SQLite would answer by reading a replicated table of at least <c>Full Scan Threshold</c> rows end to end goes to
    /// DuckDB, which scans columns in parallel; an analytical read that SQLite starts from one row found by a table's
    /// whole key, reaching any other table by index equality, stays on SQLite (DuckDB's
    /// fixed cost per query is then most of the time, whatever the table's size). Below the threshold, and without a
    /// plan, the shape decides as before. A LIMIT or OFFSET keeps the shape's decision: which rows it keeps (without ORDER BY, or among ties) is each
    /// engine's own choice, and the same text must give the same rows. <paramref name="smallScan"/> is the plan fact
    /// when SQLite would scan a replicated table still below the threshold (the decision left to the shape then weighed
    /// a table size that may grow), else null.
    /// </summary>
    private static RouteDecision? ByQueryPlan(SqlStatement stmt, in RouteContext ctx, out string? smallScan)
    {
        smallScan = null;
        var threshold = ctx.FullScanThreshold;
        if (threshold <= 0 || ctx.Catalog is not { } catalog || stmt.Has(SqlFeatures.Limit))
        {
            return null;
        }

        if ((stmt.Features & SqlFeatures.Analytical) == 0)
        {
            if (catalog.SqlitePlan(stmt.Text) is not { } plan)
            {
                return null;
            }

            foreach (var (name, detail) in plan.FullScans())
            {
                if (Resolve(stmt, name) is not { } table)
                {
                    continue;
                }

                var rows = catalog.RowCount(table.QualifiedName);
                if (rows is { } count && count >= threshold)
                {
                    return new(RheiRoute.Olap, $"SQLite would read all {count} rows of '{table.QualifiedName}' (Full Scan Threshold {threshold}): {detail}", RouteRule.FullScan)
                    {
                        SizeDependent = true,
                    };
                }

                smallScan ??= rows is { } small
                    ? $"SQLite reads all {small} rows of '{table.QualifiedName}', below Full Scan Threshold {threshold}: {detail}"
                    : $"SQLite reads '{table.QualifiedName}' end to end, its size unknown: {detail}";
            }

            return null;
        }

        // A keyed search reads a handful of rows whatever the table's size: no size is needed, and the decision holds
        // until the schema changes.
        if (catalog.SqlitePlan(stmt.Text)?.KeyedSearch() is not { } first
            || Resolve(stmt, first.Name) is not { } driver || !IsWholeKey(catalog, driver, first.Detail, first.Columns))
        {
            return null;
        }

        return new(RheiRoute.Oltp, $"SQLite reaches the rows by the key of '{driver.QualifiedName}': {first.Detail}", RouteRule.KeyedSearch);
    }

    /// <summary>The statement's table a query-plan line names: SQLite writes the alias when there is one, else the table name.</summary>
    private static SqlTableReference? Resolve(SqlStatement stmt, string planName)
    {
        SqlTableReference? byName = null;
        foreach (var table in stmt.Tables)
        {
            if (table.Alias is { } alias)
            {
                if (alias.Equals(planName, StringComparison.OrdinalIgnoreCase))
                {
                    return table;
                }
            }
            else if (table.Name.Equals(planName, StringComparison.OrdinalIgnoreCase))
            {
                byName ??= table;
            }
        }

        return byName;
    }

    /// <summary>Whether the plan's first search compares the table's whole primary key (at most one row): the rowid, or every key column.</summary>
    private static bool IsWholeKey(IMirrorCatalog catalog, SqlTableReference table, string detail, IReadOnlyList<string> columns)
    {
        if (detail.Contains(" USING INTEGER PRIMARY KEY ", StringComparison.Ordinal))
        {
            return true;
        }

        if (catalog.Tables is not { } tables || !tables.TryGetValue(table.Name, out var schema) || schema.KeyOrdinals.Count != columns.Count)
        {
            return false;
        }

        foreach (var ordinal in schema.KeyOrdinals)
        {
            var key = schema.Columns[ordinal].Name;
            if (!columns.Any(c => c.Equals(key, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why the mirror cannot give SQLite's answer to this read (a table it lacks or has quarantined, SQLite's own catalog), or null.</summary>
    private static RouteDecision? MirrorCannotAnswer(SqlStatement stmt, in RouteContext ctx)
    {
        foreach (var table in stmt.Tables)
        {
            var name = table.QualifiedName;
            if (ctx.Catalog is null || !ctx.Catalog.IsReplicated(name))
            {
                return new(RheiRoute.Oltp, $"table '{name}' is not replicated", RouteRule.NotReplicated);
            }

            if (ctx.Catalog.QuarantineReason(name) is not null)
            {
                return new(RheiRoute.Oltp, $"table '{name}' is quarantined", RouteRule.Quarantined);
            }
        }

        foreach (var function in stmt.TableFunctions)
        {
            if (function.StartsWith("pragma_", StringComparison.Ordinal) || function.StartsWith("sqlite_", StringComparison.Ordinal))
            {
                return new(RheiRoute.Oltp, $"{function}() reads SQLite's own catalog", RouteRule.NotReplicated);
            }
        }

        return null;
    }

    private static string Describe(SqlStatement stmt) => stmt.IsWrite ? "write" : stmt.IsDdl ? "DDL" : stmt.Kind switch
    {
        SqlStatementKind.Pragma => "PRAGMA",
        SqlStatementKind.Begin or SqlStatementKind.Commit or SqlStatementKind.Rollback or SqlStatementKind.Savepoint or SqlStatementKind.Release => "transaction control",
        _ => stmt.Kind.ToString().ToUpperInvariant() + " statement",
    };

    /// <summary>Names the most telling feature first: the one a reader would recognise in the query.</summary>
    private static string DescribeShape(SqlFeatures f)
        => (f & SqlFeatures.Window) != 0 ? "window function"
            : (f & SqlFeatures.Aggregate) != 0 ? "aggregate"
            : (f & SqlFeatures.GroupBy) != 0 ? "GROUP BY"
            : (f & SqlFeatures.Having) != 0 ? "HAVING"
            : (f & SqlFeatures.Join) != 0 ? "join"
            : (f & SqlFeatures.SetOperation) != 0 ? "set operation"
            : (f & SqlFeatures.Cte) != 0 ? "common table expression"
            : (f & SqlFeatures.Distinct) != 0 ? "DISTINCT"
            : "subquery";
}
