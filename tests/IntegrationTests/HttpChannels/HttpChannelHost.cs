using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Rtx;
using Notify.Grains.Channels.Sms;
using Notify.Grains.Channels.Voice;
using Notify.Grains.Channels.Wechat;
using Notify.Grains.Channels.Wework;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>
/// The five HTTP channels registered the way the silo registers them (the five <c>Add…Channel</c> calls), with a
/// fake clock and a log recorder.
/// </summary>
internal sealed class HttpChannelHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private HttpChannelHost(ServiceProvider services, FakeTimeProvider time, RecordingLoggerProvider logs)
    {
        _services = services;
        Time = time;
        Logs = logs;
    }

    public FakeTimeProvider Time { get; }

    public RecordingLoggerProvider Logs { get; }

    public IReadOnlyList<IChannelTransport> Transports => _services.GetServices<IChannelTransport>().ToArray();

    public IReadOnlyList<IOutboxRenderer> Renderers => _services.GetServices<IOutboxRenderer>().ToArray();

    /// <summary>All channels pointed at <paramref name="providers"/>, with <paramref name="overrides"/> applied on top.</summary>
    public static HttpChannelHost For(HttpProviderTestServer providers, params (string Key, string? Value)[] overrides)
    {
        var settings = providers.ChannelSettings();
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return Create(settings);
    }

    public static HttpChannelHost Create(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? registerMore = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddRtxChannel(configuration).AddWechatChannel(configuration).AddSmsChannel(configuration).AddVoiceChannel(configuration).AddWeworkChannel(configuration);
        registerMore?.Invoke(services);
        return new HttpChannelHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), time, logs);
    }

    /// <summary>What the host does at start-up: runs every <c>ValidateOnStart</c> check (none are registered while no channel is configured).</summary>
    public void ValidateOnStart() => _services.GetService<IStartupValidator>()?.Validate();

    public IChannelTransport Transport(NotifyChannel channel) => Assert.Single(Transports, t => t.Channel == channel);

    public IOutboxRenderer Renderer(NotifyChannel channel) => Assert.Single(Renderers, r => r.Channel == channel);

    public async Task<string> RenderAsync(ChannelDelivery delivery)
    {
        using var destination = new MemoryStream();
        await Renderer(delivery.Channel).RenderAsync(delivery, destination, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(destination.ToArray());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
