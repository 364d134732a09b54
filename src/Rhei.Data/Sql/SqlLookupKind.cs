namespace Rhei.Data.Sql;

/// <summary>How selective the top-level WHERE clause of a read is.</summary>
internal enum SqlLookupKind
{
    /// <summary>No WHERE clause.</summary>
    None,

    /// <summary>Only equality tests of columns against constants or parameters, joined by AND.</summary>
    Point,

    /// <summary>Equality, comparison, BETWEEN or IN-list tests of columns against constants, joined by AND.</summary>
    Range,

    /// <summary>Any other predicate (OR, functions, LIKE, subqueries...).</summary>
    Scan,
}
