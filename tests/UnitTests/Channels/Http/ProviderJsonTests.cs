using System.Text;
using Notify.Grains.Channels.Http;
using Xunit;

namespace Notify.UnitTests.Channels.Http;

public sealed class ProviderJsonTests
{
    private sealed record Body(string Text, string? Optional = null);

    [Fact]
    public async Task WriteOutboxAsync_OneBody_WritesTheObjectAsIs()
    {
        Assert.Equal("""{"Text":"告警 \uD83D\uDEA8"}""", await WriteAsync([new Body("告警 🚨")]));
    }

    [Fact]
    public async Task WriteOutboxAsync_SeveralBodies_WritesAnArrayInOrder()
    {
        Assert.Equal("""[{"Text":"1"},{"Text":"2","Optional":"x"}]""", await WriteAsync([new Body("1"), new Body("2", "x")]));
    }

    private static async Task<string> WriteAsync(IReadOnlyList<Body> bodies)
    {
        using var destination = new MemoryStream();
        await ProviderJson.WriteOutboxAsync(destination, bodies, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(destination.ToArray());
    }
}
