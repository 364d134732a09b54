namespace Rhei.Data.Olap;

/// <summary>
/// The one way a command's parameters reach a DuckDB statement, for the reader and the Arrow path alike: each DuckDB
/// position is filled from the command parameter its <see cref="OlapParameterRef"/> names, and a missing parameter or
/// one whose Value was never set is refused as Microsoft.Data.Sqlite refuses it.
/// </summary>
internal static class DuckDbParameterBinder
{
    public static void Bind(DuckDbPreparedStatement prepared, OlapStatement statement, RheiParameterCollection parameters)
    {
        if (prepared.ParameterCount != statement.Parameters.Count)
        {
            // The text and its parameter list disagree (DuckDB folded or split placeholders): refuse clearly rather
            // than bind a value to the wrong place.
            throw RheiException.Provider(
                $"DuckDB sees {prepared.ParameterCount} parameter position(s) in this statement where the command has {statement.Parameters.Count}; it cannot be bound faithfully.");
        }

        for (var i = 0; i < statement.Parameters.Count; i++)
        {
            prepared.Bind(i + 1, Resolve(statement.Parameters[i], parameters));
        }
    }

    // By placeholder name, or by position for ? and ?NNN.
    private static object? Resolve(OlapParameterRef reference, RheiParameterCollection parameters)
    {
        var placeholder = reference.Name ?? "?" + (reference.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var parameter = reference.Name is { } name
            ? parameters.FindForPlaceholder(name)
            : reference.Index < parameters.Count ? parameters[reference.Index] : null;
        if (parameter is null)
        {
            throw new InvalidOperationException($"Must add values for the following parameters: {placeholder}");
        }

        if (!parameter.ValueIsSet)
        {
            throw new InvalidOperationException(
                $"Must add values for the following parameters: {placeholder}. Its Value was never set; set DBNull.Value to bind NULL.");
        }

        return parameter.ToOlapValue();
    }
}
