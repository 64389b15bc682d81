using Notify.Grains.Channels.Http;
using Xunit;

namespace Notify.UnitTests.Channels.Http;

public sealed class WecomErrorsTests
{
    [Theory]
    [InlineData(-1, true)]
    [InlineData(45009, true)]
    [InlineData(40001, false)]
    [InlineData(40003, false)]
    [InlineData(40058, false)]
    [InlineData(81013, false)]
    [InlineData(93000, false)]
    public void ToException_Errcode_TransientOnlyForBusyAndFrequencyLimit(int errcode, bool transient)
    {
        var exception = WecomErrors.ToException("WeCom message/send", errcode, "nope", retryAfter: TimeSpan.FromMinutes(1));

        Assert.Equal(transient, exception.Transient);
        Assert.Equal(transient ? TimeSpan.FromMinutes(1) : null, exception.RetryAfter);
        Assert.Equal(errcode.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Code);
        Assert.Contains("WeCom message/send: nope", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40001, true)]
    [InlineData(40014, true)]
    [InlineData(42001, true)]
    [InlineData(0, false)]
    [InlineData(45009, false)]
    [InlineData(40013, false)]
    public void IsAccessTokenRejected_Errcode_TrueForTheCodesANewTokenCures(int errcode, bool rejected) =>
        Assert.Equal(rejected, WecomErrors.IsAccessTokenRejected(errcode));

    [Fact]
    public void ToException_ErrmsgEchoesSecrets_MasksEveryOne()
    {
        var exception = WecomErrors.ToException("WeCom gettoken", 40001, "secret s3cr3t and token t0k3n, again s3cr3t", null, "s3cr3t", "t0k3n", null, "");

        Assert.Equal("provider error 40001: WeCom gettoken: secret *** and token ***, again ***", exception.Message);
    }
}
