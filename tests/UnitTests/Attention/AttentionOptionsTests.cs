using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Grains;
using Notify.Grains.Attention;

namespace Notify.UnitTests.Attention;

/// <summary><c>Notify:Attention</c> as registered: bound, checked at start with messages naming the key.</summary>
public sealed class AttentionOptionsTests
{
    private static AttentionOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => $"{AttentionOptions.SectionName}:{s.Key}", s => (string?)s.Value))
            .Build();
        return new ServiceCollection().AddNotifyGrains(configuration).BuildServiceProvider()
            .GetRequiredService<IOptions<AttentionOptions>>().Value;
    }

    [Fact]
    public void Defaults_AreOff_AndEveryChannelHasTheDefaultBudget()
    {
        var options = Bind();
        Assert.False(options.Enabled);
        var policy = options.ToPolicy();
        Assert.Equal((TimeSpan.FromMinutes(10), 1), (policy.Window, policy.CriticalLevel));
        Assert.Equal(["email", "rtx", "sms", "voice", "wechat", "wework"], policy.Budgets.Keys.Order(StringComparer.Ordinal));
        Assert.All(policy.Budgets.Values, budget => Assert.Equal(5, budget));
    }

    [Fact]
    public void ChannelBudget_OverridesTheDefault_WhateverTheCaseOfItsName()
    {
        var policy = Bind(("Enabled", "true"), ("Budget", "7"), ("Budgets:Voice", "2"), ("Window", "00:30:00")).ToPolicy();
        Assert.Equal((2, 7, TimeSpan.FromMinutes(30)), (policy.Budgets["voice"], policy.Budgets["sms"], policy.Window));
    }

    [Theory]
    [InlineData("Window", "00:00:30", "Notify:Attention:Window must be between 00:01:00 and 1.00:00:00 (was 00:00:30).")]
    [InlineData("Window", "2.00:00:00", "Notify:Attention:Window must be between 00:01:00 and 1.00:00:00 (was 2.00:00:00).")]
    [InlineData("Budget", "0", "Notify:Attention:Budget must be at least 1 notice per window (was 0).")]
    [InlineData("Budgets:voice", "-1", "Notify:Attention:Budgets:voice must be at least 1 notice per window (was -1).")]
    [InlineData("Budgets:fax", "3", "Notify:Attention:Budgets:fax names no channel; use one of email, rtx, wechat, sms, voice, wework.")]
    [InlineData("CriticalLevel", "-1", "Notify:Attention:CriticalLevel must be 0 or more (was -1); alert levels start at 1 (fatal).")]
    public void Invalid_FailsAtStart_NamingTheKey(string key, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));
        Assert.Contains(message, failure.Failures);
    }
}
