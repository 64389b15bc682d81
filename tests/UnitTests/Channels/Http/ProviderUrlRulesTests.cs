using Notify.Grains.Channels.Http;
using Notify.Grains.Channels.Rtx;
using Xunit;

namespace Notify.UnitTests.Channels.Http;

/// <summary>Provider endpoints carry secrets: https, or http to loopback, unless the channel explicitly allows plain http.</summary>
public sealed class ProviderUrlRulesTests
{
    private const string Key = "Channels:Rtx:BaseUrl";

    [Theory]
    [InlineData("https://qyapi.weixin.qq.com", false, true)]
    [InlineData("http://127.0.0.1:8080", false, true)]
    [InlineData("http://localhost:8080", false, true)]
    [InlineData("http://[::1]:8080", false, true)]
    [InlineData("http://qyapi.weixin.qq.com", false, false)]
    [InlineData("http://10.0.0.8:8080", false, false)]
    [InlineData("http://10.0.0.8:8080", true, true)] // a trusted local relay, allowed by name
    public void CheckUrl_Scheme_HttpOnlyToLoopbackUnlessAllowed(string url, bool allowPlainHttp, bool accepted)
    {
        var failures = new List<string>();

        HttpChannelOptionsChecks.CheckUrl(url, Key, new RtxChannelOptions { AllowPlainHttp = allowPlainHttp }, failures);

        if (accepted)
        {
            Assert.Empty(failures);
        }
        else
        {
            var failure = Assert.Single(failures);
            Assert.StartsWith($"{Key} must be an https URL", failure, StringComparison.Ordinal);
            Assert.Contains("Channels:Rtx:AllowPlainHttp=true", failure, StringComparison.Ordinal);
            Assert.DoesNotContain(url, failure, StringComparison.Ordinal);
        }
    }
}
