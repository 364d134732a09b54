namespace Rhei.Data.Sql;

/// <summary>What a statement does, decided from its leading words.</summary>
internal enum SqlStatementKind
{
    Other,
    Select,
    Insert,
    Update,
    Delete,
    Replace,
    Upsert,
    CreateTable,
    CreateOther,
    AlterTable,
    DropTable,
    DropOther,
    Pragma,
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Release,
    Attach,
    Detach,
    Vacuum,
    Analyze,
    Reindex,
    Explain,
}
