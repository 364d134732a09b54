using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Rhei.Data.Sql;

/// <summary>
/// Turns a command into a <see cref="CommandPlan"/>: parses it (cached by text), asks the router for each
/// statement, and translates the statements DuckDB will run. A command goes to DuckDB only when every one
/// of its statements does and every one translates faithfully; otherwise SQLite answers it.
/// </summary>
internal static class CommandPlanner
{
    /// <summary>Plans <paramref name="request"/> against what <paramref name="catalog"/> says the mirror holds now.</summary>
    public static CommandPlan Plan(in PlanRequest request, IMirrorCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        RejectNul(request.CommandText);

        // Analysis and translation honour the command's token and timeout (a huge OR chain must not outlive them).
        using var limit = SqlWorkLimit.Enter(cancellationToken, request.TimeoutSeconds);
        var temporalMirror = catalog.TemporalMirror;
        // A hand-written EF-style temporal tag (-- rhei:temporal asof <ms>) becomes FOR SYSTEM_TIME clauses.
        var text = TemporalTag.Apply(request.CommandText, temporalMirror) ?? request.CommandText;
        var analysis = SqlAnalyzer.Analyze(text);
        var statements = analysis.Statements;
        if (statements.Count == 0)
        {
            return new CommandPlan(RheiRoute.Oltp, "empty command", RouteRule.NoTables);
        }

        if (statements.Count == 1 && TryGetControl(statements[0]) is { } control)
        {
            return new CommandPlan(RheiRoute.Oltp, $"Rhei control command {control.Name}", RouteRule.Control) { Control = control };
        }

        var olapAvailable = catalog.OlapAvailable;
        var context = new RouteContext
        {
            InTransaction = request.InTransaction,
            Requested = request.Route,
            DefaultRoute = request.DefaultRoute,
            OlapAvailable = olapAvailable,
            Catalog = catalog,
            TemporalMode = temporalMirror,
            FullScanThreshold = request.FullScanThreshold,
        };

        RouteDecision? first = null;
        var schemaChange = false;
        string? schemaTable = null;
        foreach (var statement in statements)
        {
            var decision = SqlRouter.Decide(statement, context);
            if (decision.IsRefused && statement.Kind == SqlStatementKind.Other)
            {
                var word = statement.Tokens[0].Kind == SqlTokenKind.End ? statement.Text.Trim() : statement.Tokens[0].Text(statement.CommandText);
                throw RheiException.Provider(
                    $"'{word}' does not begin a statement Rhei knows, so it cannot be sent to DuckDB: reads begin with SELECT, WITH, VALUES, "
                    + "FROM, DESCRIBE, SUMMARIZE, PIVOT or UNPIVOT. Check the spelling, or remove the OLAP route or hint.");
            }

            if (decision.IsRefused)
            {
                throw RheiException.Provider(
                    $"{decision.Reason}. The DuckDB mirror belongs to the sync engine: writes and DDL go to SQLite. Remove the OLAP route or hint from this statement.");
            }

            if (decision is { Rule: RouteRule.Requested, Target: RheiRoute.Olap })
            {
                RejectQuarantined(statement, catalog);
            }

            RheiObjectGuard.RejectChange(statement);
            if (statement.IsDdl)
            {
                schemaChange = true;
                schemaTable ??= statement.TargetTable;
            }

            if (first is null || decision.Target == RheiRoute.Oltp && first.Value.Target == RheiRoute.Olap)
            {
                first = decision;
            }
        }

        var chosen = first!.Value;
        if (statements.Any(s => s.IsRead && s.UsesPeriodColumns) && (chosen.Target == RheiRoute.Oltp || !context.TemporalMode))
        {
            // SQLite has no period columns: its "no such column" would name a column the user can see in the history.
            throw RheiException.Provider(
                "The period columns _rhei_valid_from, _rhei_valid_to and _rhei_operation exist only in the DuckDB history of a table "
                + "replicated with Sync Mode=Temporal"
                + (context.TemporalMode ? $", and this read would run on SQLite ({chosen.Reason})" : ", and this connection does not use Sync Mode=Temporal")
                + ". Read the history with FOR SYSTEM_TIME ALL (or AS OF / BETWEEN) on a replicated temporal table, outside an explicit transaction.");
        }

        if (chosen.Target == RheiRoute.Oltp)
        {
            return new CommandPlan(RheiRoute.Oltp, chosen.Reason, chosen.Rule)
            {
                SizeDependent = chosen.SizeDependent,
                IsSchemaChange = schemaChange,
                SchemaChangeTable = schemaTable,
                OltpText = NumberAnonymousParameters(analysis),
            };
        }

        // Only RheiCommand.Route = Olap is an order; a hint or the data source default is advice, held to the same
        // "can this be translated faithfully" test as Auto.
        var forced = chosen.Rule is RouteRule.Requested;
        var schema = catalog.Tables;
        var translateOptions = new TranslateOptions
        {
            TemporalMirror = context.TemporalMode,
            IsTemporalTable = catalog.IsTemporal,
            ColumnType = schema is null ? null : ColumnTypes(schema),
        };
        var olap = new List<OlapStatement>(statements.Count);
        foreach (var statement in statements)
        {
            var (translated, reason) = Translate(statement, translateOptions, schema);
            if (translated is null)
            {
                // Forced, or SQL only DuckDB understands: SQLite cannot answer either, so say what is wrong with the text.
                if ((forced || chosen.Rule == RouteRule.DuckDbOnlySyntax) && SqlSyntaxCheck.Problem(statement) is { } problem)
                {
                    throw RheiException.Provider($"DuckDB cannot run this command: {problem}.");
                }

                if (forced)
                {
                    // The caller asked for DuckDB: give it the text as written (DuckDB-only SQL lands here).
                    olap.Add(Untranslated(statement));
                    continue;
                }

                return new CommandPlan(RheiRoute.Oltp, $"not translatable to DuckDB faithfully: {reason}", RouteRule.Untranslatable)
                {
                    OltpText = NumberAnonymousParameters(analysis),
                };
            }

            olap.Add(translated);
        }

        return new CommandPlan(RheiRoute.Olap, chosen.Reason, chosen.Rule)
        {
            OlapStatements = olap,
            // A hint in the text (often an EF tag) is advice: if DuckDB cannot run the statement (ef_* functions,
            // regexp…), SQLite answers. RheiCommand.Route = Olap is an order: DuckDB's error surfaces.
            FallbackToOltp = chosen.Rule != RouteRule.Requested,
            OltpText = NumberAnonymousParameters(analysis),
        };
    }

    /// <summary>
    /// <c>RheiCommand.Route = Olap</c> skips the replication checks (it is an order), but a quarantined table has no mirror
    /// to read: DuckDB would only say the table does not exist. Say why, and what would run it.
    /// </summary>
    private static void RejectQuarantined(SqlStatement statement, IMirrorCatalog catalog)
    {
        foreach (var table in statement.Tables)
        {
            if (catalog.QuarantineReason(table.QualifiedName) is { } reason)
            {
                throw RheiException.Provider(
                    $"Table '{table.QualifiedName}' is quarantined, so the DuckDB mirror cannot answer this command (Route = Olap): {reason}. "
                    + "Route = Auto, or a hint, would run it on SQLite; once the cause is repaired, InitialSyncAsync lifts the quarantine.");
            }
        }
    }

    /// <summary>
    /// SQLite stops reading a statement at NUL (and a lone NUL makes the native call spin), so a NUL in the command text
    /// is refused before any engine sees it. Parameter values may contain NUL: they are bound, not parsed.
    /// </summary>
    private static void RejectNul(string text)
    {
        var at = text.IndexOf('\0', StringComparison.Ordinal);
        if (at >= 0)
        {
            throw RheiException.Provider(
                $"The command text contains a NUL character (U+0000) at position {at.ToString(CultureInfo.InvariantCulture)}. "
                + "SQL text cannot contain NUL; pass such a value as a parameter.");
        }
    }

    /// <summary>
    /// Microsoft.Data.Sqlite binds by name, and a bare <c>?</c> has none: give each one the number SQLite
    /// gives it (<c>?NNN</c>) so that unnamed parameters bind by position. Null when there is nothing to do.
    /// </summary>
    private static string? NumberAnonymousParameters(SqlCommandAnalysis analysis)
        => s_oltpText.GetValue(analysis, static a => new OltpTextHolder(NumberAnonymousParametersCore(a))).Text;

    private static readonly ConditionalWeakTable<SqlCommandAnalysis, OltpTextHolder> s_oltpText = new();

    private sealed record OltpTextHolder(string? Text);

    private static string? NumberAnonymousParametersCore(SqlCommandAnalysis analysis)
    {
        StringBuilder? text = null;
        var copied = 0;
        var source = analysis.CommandText;
        foreach (var statement in analysis.Statements)
        {
            var anonymous = statement.Parameters.Where(p => p.Style == SqlParameterStyle.Anonymous).OrderBy(p => p.Position).ToList();
            if (anonymous.Count == 0)
            {
                continue;
            }

            var next = 0;
            foreach (var token in statement.Tokens)
            {
                if (token.Kind != SqlTokenKind.Parameter || token.Length != 1 || next >= anonymous.Count)
                {
                    continue;
                }

                text ??= new StringBuilder(source.Length + 16);
                text.Append(source, copied, token.Start - copied).Append('?').Append(anonymous[next++].Index.ToString(CultureInfo.InvariantCulture));
                copied = token.End;
            }
        }

        return text?.Append(source, copied, source.Length - copied).ToString();
    }

    // Translations are cached beside the cached analysis: a repeated command costs two look-ups. A translation depends on
    // the column types, so each remembers the registry snapshot it was made with: the same text under another schema
    // version (ALTER TABLE, a new registration) or another data source is translated again.
    private static readonly ConditionalWeakTable<SqlStatement, TranslationResult> s_current = new();
    private static readonly ConditionalWeakTable<SqlStatement, TranslationResult> s_temporal = new();

    // One lookup delegate per registry snapshot, so a cached translation's check costs no allocation.
    private static readonly ConditionalWeakTable<IReadOnlyDictionary<string, Schema.TableSchema>, Func<string, string, Schema.MirrorType?>> s_columnTypes = new();

    private sealed record TranslationResult(OlapStatement? Statement, string? Reason, object? Schema);

    /// <summary>The column-type lookup the translator uses for a registry snapshot.</summary>
    internal static Func<string, string, Schema.MirrorType?> ColumnTypes(IReadOnlyDictionary<string, Schema.TableSchema> schema)
        => s_columnTypes.GetValue(schema, static tables => (table, column) =>
        {
            if (!tables.TryGetValue(table, out var definition))
            {
                return null;
            }

            var index = definition.ColumnIndex(column);
            return index < 0 ? null : definition.MirrorTypes[index];
        });

    private static (OlapStatement? Statement, string? Reason) Translate(SqlStatement statement, TranslateOptions options, object? schema)
    {
        var cache = options.TemporalMirror ? s_temporal : s_current;
        if (!cache.TryGetValue(statement, out var result) || !ReferenceEquals(result.Schema, schema))
        {
            result = SqlTranslator.TryTranslate(statement, statement.CommandText, options, out var translated, out var reason)
                ? new TranslationResult(new OlapStatement(translated.Sql, translated.Parameters.Select(ToOlapRef).ToArray()), null, schema)
                : new TranslationResult(null, reason, schema);
            cache.AddOrUpdate(statement, result);
        }

        return (result.Statement, result.Reason);
    }

    private static OlapStatement Untranslated(SqlStatement statement)
        => Olap.DuckDbParameterText.ForDuckDb(statement, ToOlapRef);

    private static OlapParameterRef ToOlapRef(SqlParameterRef parameter) => parameter.Style switch
    {
        SqlParameterStyle.Anonymous or SqlParameterStyle.Numbered => new OlapParameterRef(null, parameter.Index - 1),
        _ => new OlapParameterRef(parameter.Name, parameter.Index),
    };

    private static RheiControlCommand? TryGetControl(SqlStatement statement)
    {
        if (statement.Kind != SqlStatementKind.Pragma)
        {
            return null;
        }

        // PRAGMA [schema.]name [= value | (value)]
        var tokens = statement.Tokens.Where(t => !t.IsTrivia && t.Kind != SqlTokenKind.End).ToArray();
        if (tokens.Length < 2)
        {
            return null;
        }

        var name = tokens[1].Unquote(statement.CommandText);
        if (!name.StartsWith("rhei_", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string? argument = null;
        foreach (var token in tokens.Skip(2))
        {
            if (token.Kind == SqlTokenKind.String)
            {
                var text = token.Text(statement.CommandText);
                argument = text[1..^1].Replace("''", "'", StringComparison.Ordinal);
                break;
            }

            if (token.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
            {
                argument = token.Unquote(statement.CommandText);
                break;
            }
        }

        return new RheiControlCommand(name.ToLowerInvariant(), argument);
    }
}
