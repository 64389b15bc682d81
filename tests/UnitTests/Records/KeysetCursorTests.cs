using Notify.Grains.Abstractions.Records;

namespace Notify.UnitTests.Records;

/// <summary>Key-ordered pages: each key once, in ordinal order, a cursor only while more remain, and bad input named.</summary>
public sealed class KeysetCursorTests
{
    private static readonly string[] Keys = ["alice", "Bob", "bob", "carol", "dave"];

    [Fact]
    public void Page_WalkedToTheEnd_ReturnsEveryKeyOnceInOrdinalOrder()
    {
        var seen = new List<string>();
        string? after = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = KeysetCursor.Page(Keys.Order(StringComparer.Ordinal), after, pageSize: 2);
            seen.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                break;
            }

            Assert.Empty(KeysetCursor.Validate(page.NextCursor, 2, out after));
        }

        Assert.Equal(["Bob", "alice", "bob", "carol", "dave"], seen);
    }

    [Fact]
    public void Page_ExactlyFull_HasNoCursor()
    {
        var page = KeysetCursor.Page(["a", "b"], null, pageSize: 2);

        Assert.Equal(["a", "b"], page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public void Page_AfterADeletedKey_StartsAtTheNextOne()
    {
        var page = KeysetCursor.Page(["a", "c", "d"], "b", pageSize: 5);

        Assert.Equal(["c", "d"], page.Items);
    }

    [Theory]
    [InlineData("%%", 50, "after")]
    [InlineData(null, 0, "pageSize")]
    [InlineData(null, 201, "pageSize")]
    public void Validate_BadInput_NamesTheField(string? after, int pageSize, string field)
    {
        var errors = KeysetCursor.Validate(after, pageSize, out _);

        Assert.Equal(field, Assert.Single(errors).Field);
    }
}
