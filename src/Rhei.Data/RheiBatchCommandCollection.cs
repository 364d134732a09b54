using System.Collections;
using System.Data.Common;

namespace Rhei.Data;

/// <summary>The commands of a <see cref="RheiBatch"/>.</summary>
public sealed class RheiBatchCommandCollection : DbBatchCommandCollection, IEnumerable<RheiBatchCommand>
{
    private readonly List<RheiBatchCommand> _commands = [];

    internal RheiBatchCommandCollection()
    {
    }

    /// <inheritdoc />
    public override int Count => _commands.Count;

    /// <inheritdoc />
    public override bool IsReadOnly => false;

    /// <summary>The command at an index.</summary>
    public new RheiBatchCommand this[int index]
    {
        get => _commands[index];
        set => _commands[index] = value;
    }

    /// <summary>Adds a command.</summary>
    public void Add(RheiBatchCommand item) => _commands.Add(item);

    /// <inheritdoc />
    public override void Add(DbBatchCommand item) => _commands.Add(Cast(item));

    /// <inheritdoc />
    public override void Clear() => _commands.Clear();

    /// <inheritdoc />
    public override bool Contains(DbBatchCommand item) => item is RheiBatchCommand c && _commands.Contains(c);

    /// <inheritdoc />
    public override void CopyTo(DbBatchCommand[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (var i = 0; i < _commands.Count; i++)
        {
            array[arrayIndex + i] = _commands[i];
        }
    }

    /// <inheritdoc />
    public override IEnumerator<DbBatchCommand> GetEnumerator() => _commands.GetEnumerator();

    /// <inheritdoc />
    IEnumerator<RheiBatchCommand> IEnumerable<RheiBatchCommand>.GetEnumerator() => _commands.GetEnumerator();

    /// <inheritdoc />
    public override int IndexOf(DbBatchCommand item) => item is RheiBatchCommand c ? _commands.IndexOf(c) : -1;

    /// <inheritdoc />
    public override void Insert(int index, DbBatchCommand item) => _commands.Insert(index, Cast(item));

    /// <inheritdoc />
    public override bool Remove(DbBatchCommand item) => item is RheiBatchCommand c && _commands.Remove(c);

    /// <inheritdoc />
    public override void RemoveAt(int index) => _commands.RemoveAt(index);

    /// <inheritdoc />
    protected override DbBatchCommand GetBatchCommand(int index) => _commands[index];

    /// <inheritdoc />
    protected override void SetBatchCommand(int index, DbBatchCommand batchCommand) => _commands[index] = Cast(batchCommand);

    private static RheiBatchCommand Cast(DbBatchCommand item) => item as RheiBatchCommand
        ?? throw new InvalidCastException($"A RheiBatch only takes RheiBatchCommand objects, not {item?.GetType().Name ?? "null"}.");
}
