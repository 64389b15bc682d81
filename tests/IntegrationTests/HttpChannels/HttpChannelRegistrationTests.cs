using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Rtx;
using Notify.Grains.Channels.Sms;
using Notify.Grains.Channels.Voice;
using Notify.Grains.Channels.Wechat;
using Notify.Grains.Channels.Wework;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>The five <c>Add…Channel</c> methods: what they register, and the start-up validation of their options.</summary>
public sealed class HttpChannelRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> InvalidSettings() => new()
    {
        { "Channels:Rtx:CorpSecret", "", "Channels:Rtx:CorpSecret is required" },
        { "Channels:Rtx:CorpId", "", "Channels:Rtx:CorpId is required" },
        { "Channels:Rtx:AgentId", "0", "Channels:Rtx:AgentId must be" },
        { "Channels:Rtx:BaseUrl", "qyapi.weixin.qq.com", "Channels:Rtx:BaseUrl must be an absolute http or https URL" },
        { "Channels:Rtx:TokenRefreshMargin", "02:00:00", "Channels:Rtx:TokenRefreshMargin must be between" },
        { "Channels:Rtx:MaxConcurrency", "0", "Channels:Rtx:MaxConcurrency must be between 1 and 256" },
        { "Channels:Wechat:AppCode", "", "Channels:Wechat:AppCode is required" },
        { "Channels:Wechat:Heading", "", "Channels:Wechat:Heading must not be empty" },
        { "Channels:Sms:AppSecret", "", "Channels:Sms:AppSecret is required" },
        { "Channels:Sms:RateLimit:Period", "00:00:00", "Channels:Sms:RateLimit:Period must be a positive duration" },
        { "Channels:Voice:Timeout", "00:10:00", "Channels:Voice:Timeout must be between" },
        { "Channels:Voice:RateLimit:Permits", "0", "Channels:Voice:RateLimit:Permits must be at least 1" },
        { "Channels:Wework:Key", "", "Channels:Wework:Key is required" },
        { "Channels:Wework:WebhookUrl", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=pasted-key-R1e7", "put the robot key in Channels:Wework:Key" },
        { "Channels:Wework:RateLimit:Permits", "-5", "Channels:Wework:RateLimit:Permits must be at least 1" },
        { "Channels:Wework:Robots:ops:WebhookUrl", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "Channels:Wework:Robots:ops:Key is required" },
        { "Channels:Wework:Robots:ops:WebhookUrl", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=pasted-key-R1e7", "put the robot key in Channels:Wework:Robots:ops:Key" },
        { "Channels:Wework:Robots:bad.name:Key", "robot-key-R2", "names must match" },
    };

    [Fact]
    public async Task AddChannels_NothingConfigured_RegistersOutboxRenderersOnly()
    {
        await using var host = HttpChannelHost.Create(new Dictionary<string, string?>());

        host.ValidateOnStart();

        Assert.Empty(host.Transports);
        Assert.Equal(TestDeliveries.ProviderChannels.Order(), host.Renderers.Select(r => r.Channel).Order());
        Assert.All(host.Renderers, r => Assert.Equal("json", r.Extension));
    }

    [Fact]
    public async Task AddChannels_AllConfigured_RegistersOneTransportPerChannelWithDefaults()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);

        host.ValidateOnStart();

        var transports = host.Transports.ToDictionary(t => t.Channel);
        Assert.Equal(TestDeliveries.ProviderChannels.Order(), transports.Keys.Order());
        Assert.Equal(
            ["wecom-app", "cmsi-wechat", "cmsi-sms", "cmsi-voice", "wecom-robot"],
            TestDeliveries.ProviderChannels.Select(c => transports[c].Name));
        Assert.All(transports.Values, t => Assert.Equal(8, t.MaxConcurrency));
        var robot = transports[NotifyChannel.Wework].RateLimit!;
        Assert.Equal((20, TimeSpan.FromMinutes(1)), (robot.Permits, robot.Period));

        // The robot's quota is the webhook key's; the key is a secret, so the credential names it by a digest.
        Assert.StartsWith("wecom-robot:", robot.Credential);
        Assert.DoesNotContain(TestDeliveries.SecretOf(NotifyChannel.Wework), robot.Credential);
        Assert.All(transports.Values.Where(t => t.Channel != NotifyChannel.Wework), t => Assert.Null(t.RateLimit));
    }

    [Fact]
    public async Task AddWework_NamedRobots_EachRobotIsItsOwnLaneAndBudget()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(
            providers,
            ("Channels:Wework:Robots:ops:Key", "ops-robot-key-R3"),
            ("Channels:Wework:Robots:ops2:Key", "ops-robot-key-R3"),
            ("Channels:Wework:Robots:dev:Key", "dev-robot-key-R4"));

        host.ValidateOnStart();

        var robot = host.Transports.Single(t => t.Channel == NotifyChannel.Wework);
        var delivery = TestDeliveries.Sample(NotifyChannel.Wework);
        Assert.Equal("", robot.LaneOf(delivery));
        Assert.Equal("ops", robot.LaneOf(delivery with { Message = delivery.Message with { Robot = "ops" } }));
        var credentials = new[] { "", "ops", "ops2", "dev" }.Select(lane => robot.RateLimitOf(lane)!.Credential).ToArray();

        // WeCom counts per key: two names for one key share a budget, other keys have their own; no credential shows a key.
        Assert.Equal(credentials[1], credentials[2]);
        Assert.Equal(3, credentials.Distinct().Count());
        Assert.All(credentials, c => Assert.DoesNotContain("robot-key", c, StringComparison.Ordinal));
        Assert.Null(robot.RateLimitOf("removed"));
    }

    [Fact]
    public async Task AddChannels_RateLimitAndConcurrencyConfigured_TransportsExposeThem()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(
            providers,
            ("Channels:Wework:RateLimit:Permits", "60"),
            ("Channels:Sms:RateLimit:Permits", "100"),
            ("Channels:Sms:RateLimit:Period", "00:00:01"),
            ("Channels:Rtx:MaxConcurrency", "32"));

        host.ValidateOnStart();

        var transports = host.Transports.ToDictionary(t => t.Channel);
        Assert.Equal((60, TimeSpan.FromMinutes(1)), (transports[NotifyChannel.Wework].RateLimit!.Permits, transports[NotifyChannel.Wework].RateLimit!.Period));
        var sms = transports[NotifyChannel.Sms].RateLimit!;
        Assert.Equal((100, TimeSpan.FromSeconds(1)), (sms.Permits, sms.Period));
        Assert.Matches("^cmsi:.+:sms$", sms.Credential);
        Assert.Equal(32, transports[NotifyChannel.Rtx].MaxConcurrency);
    }

    [Fact]
    public async Task AddChannels_CalledTwice_RegistersEachServiceAndCheckOnce()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        var valid = providers.ChannelSettings();
        var invalid = providers.ChannelSettings();
        invalid["Channels:Rtx:CorpSecret"] = "";
        await using var validHost = HttpChannelHost.Create(valid, services => AddAllChannels(services, valid));
        await using var invalidHost = HttpChannelHost.Create(invalid, services => AddAllChannels(services, invalid));

        validHost.ValidateOnStart();
        var exception = Assert.ThrowsAny<Exception>(invalidHost.ValidateOnStart);

        Assert.Equal(5, validHost.Transports.Count);
        Assert.Equal(5, validHost.Renderers.Count);
        Assert.Single(FailureMessages(exception), m => m.Contains("Channels:Rtx:CorpSecret", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task ValidateOnStart_InvalidSetting_FailsWithMessageNamingTheKey(string key, string value, string expected)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers, (key, value));

        var exception = Assert.ThrowsAny<Exception>(host.ValidateOnStart);

        var messages = FailureMessages(exception);
        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
        Assert.All(HttpProviderCredentials.Secrets.Append("pasted-key-R1e7"), secret => Assert.DoesNotContain(secret, exception.ToString(), StringComparison.Ordinal));
    }

    private static void AddAllChannels(IServiceCollection services, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddRtxChannel(configuration).AddWechatChannel(configuration).AddSmsChannel(configuration).AddVoiceChannel(configuration).AddWeworkChannel(configuration);
    }

    private static IReadOnlyList<string> FailureMessages(Exception exception) => exception switch
    {
        OptionsValidationException options => options.Failures.ToArray(),
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(FailureMessages).ToArray(),
        _ => [exception.Message],
    };
}
