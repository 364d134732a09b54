using System.Data.Common;
using Rhei.Data.Benchmarks.Data;

namespace Rhei.Data.Benchmarks.Scenarios;

/// <summary>
/// New-Order and Payment, half each, on one RheiConnection per thread. Keys come from shared counters so
/// threads never collide on inserts; they do contend on SQLite's single writer, as a real OLTP load does.
/// </summary>
internal sealed class TpccTransactions : IDisposable
{
    private static long s_nextOrder;
    private static long s_nextLine;

    private readonly RheiConnection _connection;
    private readonly Random _random;
    private readonly DbCommand _district, _order, _line, _stock, _warehouse, _payDistrict, _customer;

    public TpccTransactions(string connectionString, int seed)
    {
        _random = new Random(seed);
        _connection = new RheiConnection(connectionString);
        _connection.Open();
        // SQLite's own busy handler (short sleeps with back-off) rather than long retry sleeps on contention.
        Connections.Execute(_connection, "PRAGMA busy_timeout = 10000");
        _district = Command("UPDATE district SET d_next_o_id = d_next_o_id + 1 WHERE d_id = @d", "@d");
        _order = Command("INSERT INTO orders (o_id, o_d_id, o_c_id, o_entry_d, o_ol_cnt) VALUES (@o, @d, @c, '2024-01-01', @n)", "@o", "@d", "@c", "@n");
        _line = Command("INSERT INTO order_line (ol_id, ol_o_id, ol_i_id, ol_quantity, ol_amount, ol_delivery_d) VALUES (@l, @o, @i, @q, @a, '2024-01-02')", "@l", "@o", "@i", "@q", "@a");
        _stock = Command("UPDATE stock SET s_quantity = CASE WHEN s_quantity > @q + 10 THEN s_quantity - @q ELSE s_quantity + 91 - @q END, s_order_cnt = s_order_cnt + 1 WHERE s_i_id = @i", "@q", "@i");
        _warehouse = Command("UPDATE warehouse SET w_ytd = w_ytd + @a WHERE w_id = @w", "@a", "@w");
        _payDistrict = Command("UPDATE district SET d_ytd = d_ytd + @a WHERE d_id = @d", "@a", "@d");
        _customer = Command("UPDATE customer SET c_balance = c_balance - @a, c_payment_cnt = c_payment_cnt + 1 WHERE c_id = @c", "@a", "@c");
    }

    public static void ResetKeys(long orders)
    {
        Interlocked.Exchange(ref s_nextOrder, orders);
        Interlocked.Exchange(ref s_nextLine, orders * 10);
    }

    public void RunOne()
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        if (_random.Next(2) == 0)
        {
            NewOrder(transaction);
        }
        else
        {
            Payment(transaction);
        }

        transaction.Commit();
    }

    private void NewOrder(RheiTransaction transaction)
    {
        var district = 1 + _random.Next(TpccSchema.Districts);
        var order = Interlocked.Increment(ref s_nextOrder);
        var lines = 5 + _random.Next(11);
        Run(_district, transaction, district);
        Run(_order, transaction, order, district, 1 + _random.Next(TpccSchema.Customers), lines);
        for (var i = 0; i < lines; i++)
        {
            var item = 1 + _random.Next(TpccSchema.Items);
            var quantity = 1 + _random.Next(10);
            Run(_line, transaction, Interlocked.Increment(ref s_nextLine), order, item, quantity, Math.Round(_random.NextDouble() * 100, 2));
            Run(_stock, transaction, quantity, item);
        }
    }

    private void Payment(RheiTransaction transaction)
    {
        var amount = Math.Round(1 + _random.NextDouble() * 4_999, 2);
        var district = 1 + _random.Next(TpccSchema.Districts);
        Run(_warehouse, transaction, amount, 1 + (district - 1) / TpccSchema.DistrictsPerWarehouse);
        Run(_payDistrict, transaction, amount, district);
        Run(_customer, transaction, amount, 1 + _random.Next(TpccSchema.Customers));
    }

    private static void Run(DbCommand command, RheiTransaction transaction, params object[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }

    private DbCommand Command(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            Connections.AddParameter(command, name);
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in new[] { _district, _order, _line, _stock, _warehouse, _payDistrict, _customer })
        {
            command.Dispose();
        }

        _connection.Dispose();
    }
}
