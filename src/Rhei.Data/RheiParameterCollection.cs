using System.Collections;
using System.Data.Common;

namespace Rhei.Data;

/// <summary>The parameters of a <see cref="RheiCommand"/>.</summary>
public sealed class RheiParameterCollection : DbParameterCollection
{
    private readonly List<RheiParameter> _parameters = [];

    internal RheiParameterCollection()
    {
    }

    /// <inheritdoc />
    public override int Count => _parameters.Count;

    /// <inheritdoc />
    public override object SyncRoot => ((ICollection)_parameters).SyncRoot;

    /// <summary>Gets the parameter at an index.</summary>
    public new RheiParameter this[int index]
    {
        get => _parameters[index];
        set => _parameters[index] = value;
    }

    /// <summary>Gets the parameter with a name (with or without its prefix).</summary>
    public new RheiParameter this[string parameterName]
    {
        get => _parameters[IndexOfChecked(parameterName)];
        set => _parameters[IndexOfChecked(parameterName)] = value;
    }

    /// <summary>Adds a parameter.</summary>
    public RheiParameter Add(RheiParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Adds a parameter with a name and a value.</summary>
    public RheiParameter AddWithValue(string? parameterName, object? value) => Add(new RheiParameter(parameterName, value));

    /// <inheritdoc />
    public override int Add(object value)
    {
        _parameters.Add(Cast(value));
        return _parameters.Count - 1;
    }

    /// <inheritdoc />
    public override void AddRange(Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            Add(value!);
        }
    }

    /// <inheritdoc />
    public override void Clear() => _parameters.Clear();

    /// <inheritdoc />
    public override bool Contains(object value) => value is RheiParameter p && _parameters.Contains(p);

    /// <inheritdoc />
    public override bool Contains(string value) => IndexOf(value) >= 0;

    /// <inheritdoc />
    public override void CopyTo(Array array, int index) => ((ICollection)_parameters).CopyTo(array, index);

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => _parameters.GetEnumerator();

    /// <inheritdoc />
    public override int IndexOf(object value) => value is RheiParameter p ? _parameters.IndexOf(p) : -1;

    /// <inheritdoc />
    public override int IndexOf(string parameterName)
    {
        for (var i = 0; i < _parameters.Count; i++)
        {
            if (NamesMatch(_parameters[i].ParameterName, parameterName))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public override void Insert(int index, object value) => _parameters.Insert(index, Cast(value));

    /// <inheritdoc />
    public override void Remove(object value) => _parameters.Remove(Cast(value));

    /// <inheritdoc />
    public override void RemoveAt(int index) => _parameters.RemoveAt(index);

    /// <inheritdoc />
    public override void RemoveAt(string parameterName) => _parameters.RemoveAt(IndexOfChecked(parameterName));

    /// <inheritdoc />
    protected override DbParameter GetParameter(int index) => _parameters[index];

    /// <inheritdoc />
    protected override DbParameter GetParameter(string parameterName) => this[parameterName];

    /// <inheritdoc />
    protected override void SetParameter(int index, DbParameter value) => _parameters[index] = Cast(value);

    /// <inheritdoc />
    protected override void SetParameter(string parameterName, DbParameter value) => _parameters[IndexOfChecked(parameterName)] = Cast(value);

    internal IReadOnlyList<RheiParameter> Items => _parameters;

    /// <summary>
    /// Finds the parameter bound to a placeholder as written in the SQL (<c>@p</c>, <c>:p</c>, <c>$p</c>),
    /// accepting a parameter added with or without its prefix, as Microsoft.Data.Sqlite does.
    /// </summary>
    internal RheiParameter? FindForPlaceholder(string placeholder)
    {
        foreach (var parameter in _parameters)
        {
            if (NamesMatch(parameter.ParameterName, placeholder))
            {
                return parameter;
            }
        }

        return null;
    }

    private static bool NamesMatch(string parameterName, string placeholder)
    {
        if (string.Equals(parameterName, placeholder, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var bareParameter = Bare(parameterName);
        var barePlaceholder = Bare(placeholder);
        // A prefixed name matches only the same prefix; an unprefixed one matches any prefix.
        return string.Equals(bareParameter, barePlaceholder, StringComparison.OrdinalIgnoreCase)
            && (bareParameter.Length == parameterName.Length || barePlaceholder.Length == placeholder.Length
                || parameterName[0] == placeholder[0]);
    }

    private static string Bare(string name)
        => name.Length > 0 && name[0] is '@' or ':' or '$' ? name[1..] : name;

    private int IndexOfChecked(string parameterName)
    {
        var index = IndexOf(parameterName);
        return index >= 0
            ? index
            : throw new IndexOutOfRangeException($"A parameter named '{parameterName}' is not in the collection.");
    }

    private static RheiParameter Cast(object value) => value as RheiParameter
        ?? throw new InvalidCastException($"The parameter collection only accepts {nameof(RheiParameter)} objects, not {value?.GetType().Name ?? "null"}.");
}
