using Rhei.Data.ChangeFeed;

namespace Rhei.Data.Tests.ChangeFeed;

/// <summary>The Key and Values view of a delivered change behaves as a read-only, case-insensitive dictionary.</summary>
public sealed class ChangeRowDictionaryTest
{
    [Fact]
    public void Values_view_looks_up_names_case_insensitively_and_enumerates_in_column_order()
    {
        var index = new ChangeColumnIndex(["id", "Name", "price"]);
        var row = new ChangeRowDictionary(index, [1L, "a", DBNull.Value]);

        Assert.Equal(3, row.Count);
        Assert.Equal("a", row["name"]);
        Assert.Equal(DBNull.Value, row["PRICE"]);
        Assert.True(row.ContainsKey("ID"));
        Assert.False(row.ContainsKey("missing"));
        Assert.False(row.TryGetValue("missing", out _));
        Assert.Equal(["id", "Name", "price"], row.Keys);
        Assert.Equal([1L, "a", DBNull.Value], row.Values);
        Assert.Equal(new KeyValuePair<string, object>("Name", "a"), row.ElementAt(1));
        var missing = Assert.Throws<KeyNotFoundException>(() => row["missing"]);
        Assert.Contains("'missing'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_of_one_batch_share_an_index_per_column_list()
    {
        var indexes = new ChangeIndexes();
        string[] columns = ["id", "v"];
        Assert.Same(indexes.Of(columns), indexes.Of(columns));
        Assert.NotSame(indexes.Of(columns), indexes.Of(["id", "v"]));
        Assert.Equal(["k0", "k1"], indexes.KeyOf(null, 2).Names);
    }
}
