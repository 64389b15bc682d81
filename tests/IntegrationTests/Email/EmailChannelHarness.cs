using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Email;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Xunit;

namespace Notify.IntegrationTests.Email;

/// <summary>
/// The e-mail channel as the host wires it (<see cref="EmailChannelRegistration.AddEmailChannel"/> and start-up
/// validation), pointed at a <see cref="SmtpTestServer"/>. Disposing it disposes the transport (QUIT).
/// </summary>
internal sealed class EmailChannelHarness : IAsyncDisposable
{
    public const string FromAddress = "notify@example.com";

    private readonly ServiceProvider _services;

    private EmailChannelHarness(ServiceProvider services)
    {
        _services = services;
        Transport = services.GetServices<IChannelTransport>().Single();
        Outbox = services.GetServices<IOutboxRenderer>().Single();
    }

    public IChannelTransport Transport { get; }

    public IOutboxRenderer Outbox { get; }

    /// <summary>Settings for <paramref name="server"/> (security, credentials) overlaid with <paramref name="overrides"/>.</summary>
    public static EmailChannelHarness Create(
        SmtpTestServer server, IReadOnlyDictionary<string, string?>? overrides = null, TimeProvider? timeProvider = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Email:Host"] = server.Host,
            ["Channels:Email:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Channels:Email:From"] = $"Notify <{FromAddress}>",
            ["Channels:Email:Security"] = server.Options.Tls switch
            {
                SmtpTestServerTls.StartTls => nameof(SmtpSecurity.StartTls),
                SmtpTestServerTls.Implicit => nameof(SmtpSecurity.SslOnConnect),
                _ => nameof(SmtpSecurity.None),
            },
            ["Channels:Email:AllowInvalidCertificate"] = (server.Options.Tls != SmtpTestServerTls.None).ToString(),
            ["Channels:Email:User"] = server.Options.Credentials?.User,
            ["Channels:Email:Password"] = server.Options.Credentials?.Password,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        var provider = services.AddEmailChannel(configuration).BuildServiceProvider(validateScopes: true);
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new EmailChannelHarness(provider);
    }

    /// <summary>Sends as the channel sender does: an exception becomes a failure of every recipient.</summary>
    public async Task<DeliveryResult> SendAndClassifyAsync(ChannelDelivery delivery)
    {
        try
        {
            return await Transport.SendAsync(delivery, TestContext.Current.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.AllFailed(delivery.Recipients, Transport.Classify(exception));
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
