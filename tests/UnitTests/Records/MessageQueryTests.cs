using Notify.Grains.Abstractions.Records;

namespace Notify.UnitTests.Records;

public sealed class MessageQueryTests
{
    [Theory]
    [InlineData(1, 200, true)]
    [InlineData(51, 200, true)]
    [InlineData(52, 200, false)]
    [InlineData(501, 20, true)]
    [InlineData(502, 20, false)]
    [InlineData(1000, 20, false)]
    public void Validate_NumberedPages_RefusedOnceTheyWouldSkipMoreThanMaxOffset(int page, int pageSize, bool valid)
    {
        var errors = new MessageQuery { Page = page, PageSize = pageSize }.Validate();

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal("page", error.Field);
            Assert.Contains("after=<nextCursor", error.Reason);
        }
    }
}
