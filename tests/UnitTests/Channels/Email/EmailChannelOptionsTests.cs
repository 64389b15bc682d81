using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Email;
using Xunit;

namespace Notify.UnitTests.Channels.Email;

public sealed class EmailChannelOptionsTests
{
    private static readonly Dictionary<string, string?> Configured = new()
    {
        ["Channels:Email:Host"] = "smtp.example.com",
        ["Channels:Email:From"] = "Notify <notify@example.com>",
    };

    public static TheoryData<string, string?, string> InvalidSettings => new()
    {
        // key, value (null removes it), what the error must say
        { "Channels:Email:From", null, "Channels:Email:From is required when Channels:Email:Host is set" },
        { "Channels:Email:From", "not an address", "Channels:Email:From 'not an address' is not an e-mail address" },
        { "Channels:Email:Host", "bad host!", "Channels:Email:Host 'bad host!' is not a host name or IP address" },
        { "Channels:Email:Port", "0", "Channels:Email:Port must be between 1 and 65535" },
        { "Channels:Email:Port", "70000", "Channels:Email:Port must be between 1 and 65535" },
        { "Channels:Email:MaxConnections", "0", "Channels:Email:MaxConnections must be between 1 and 64" },
        { "Channels:Email:MaxConnections", "65", "Channels:Email:MaxConnections must be between 1 and 64" },
        { "Channels:Email:ConnectTimeout", "00:00:00", "Channels:Email:ConnectTimeout must be between" },
        { "Channels:Email:CommandTimeout", "01:00:00", "Channels:Email:CommandTimeout must be between" },
        { "Channels:Email:Password", "secret", "Channels:Email:Password is set but Channels:Email:User is not" },
        { "Channels:Email:RateLimit:Permits", "0", "Channels:Email:RateLimit:Permits must be at least 1" },
        { "Channels:Email:RateLimit:Period", "00:00:00", "Channels:Email:RateLimit:Period must be a positive time span" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_InvalidSetting_FailsAtStartNamingTheKey(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(Configured)
        {
            ["Channels:Email:RateLimit:Permits"] = "10",
            ["Channels:Email:RateLimit:Period"] = "00:00:01",
        };
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }

        using var services = Services(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownSecurity_FailsAtStartNamingTheKey()
    {
        using var services = Services(new Dictionary<string, string?>(Configured) { ["Channels:Email:Security"] = "Tls13" });

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Channels:Email:Security", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetryUnknownOutcomeNotABoolean_FailsAtStartNamingTheKey()
    {
        using var services = Services(new Dictionary<string, string?>(Configured) { ["Channels:Email:RetryUnknownOutcome"] = "sometimes" });

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("RetryUnknownOutcome", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public void AddEmailChannel_RetryUnknownOutcome_ReachesTheTransport(string? value, bool expected)
    {
        var settings = new Dictionary<string, string?>(Configured);
        if (value is not null)
        {
            settings["Channels:Email:RetryUnknownOutcome"] = value;
        }

        using var services = Services(settings);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(expected, Assert.Single(services.GetServices<IChannelTransport>()).RetryUnknownOutcome);
    }

    [Fact]
    public void AddEmailChannel_NoHost_ValidatesAndRegistersOnlyTheOutboxRenderer()
    {
        using var services = Services(new Dictionary<string, string?>());

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Empty(services.GetServices<IChannelTransport>());
        var renderer = Assert.IsType<EmailOutboxRenderer>(Assert.Single(services.GetServices<IOutboxRenderer>()));
        Assert.Equal("eml", renderer.Extension);
    }

    [Fact]
    public void AddEmailChannel_HostSet_RegistersSmtpTransportFromTheOptions()
    {
        using var services = Services(new Dictionary<string, string?>(Configured)
        {
            ["Channels:Email:MaxConnections"] = "7",
            ["Channels:Email:RateLimit:Permits"] = "100",
            ["Channels:Email:RateLimit:Period"] = "00:01:00",
        });

        services.GetRequiredService<IStartupValidator>().Validate();

        var transport = Assert.IsType<SmtpTransport>(Assert.Single(services.GetServices<IChannelTransport>()));
        Assert.Equal("smtp", transport.Name);
        Assert.Equal(7, transport.MaxConcurrency);
        Assert.Equal((100, TimeSpan.FromMinutes(1)), (transport.RateLimit!.Permits, transport.RateLimit.Period));
        Assert.StartsWith("smtp:", transport.RateLimit.Credential);
        Assert.Single(services.GetServices<IOutboxRenderer>());
    }

    [Fact]
    public void AddEmailChannel_CalledTwice_RegistersEachServiceOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Configured).Build();
        using var services = new ServiceCollection().AddLogging().AddEmailChannel(configuration).AddEmailChannel(configuration).BuildServiceProvider();

        Assert.Single(services.GetServices<IChannelTransport>());
        Assert.Single(services.GetServices<IOutboxRenderer>());
    }

    [Fact]
    public void Defaults_HostOnly_DocumentedValues()
    {
        var options = new EmailChannelOptions();

        Assert.Equal(25, options.Port);
        Assert.Equal(4, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CommandTimeout);
        Assert.False(options.AllowInvalidCertificate);
        Assert.Null(options.ToChannelRateLimit());
        Assert.False(options.IsConfigured);
    }

    // Security, AllowPlaintextAuth, with a User configured: whether start-up accepts it.
    [Theory]
    [InlineData(null, null, true)] // port 25: STARTTLS when offered, AUTH refused at send time if it is not
    [InlineData("StartTlsWhenAvailable", null, true)]
    [InlineData("StartTls", null, true)]
    [InlineData("None", null, false)]
    [InlineData("None", "true", true)]
    public void Validate_UserWithSecurity_PlaintextAuthNeedsTheExplicitOption(string? security, string? allowPlaintextAuth, bool accepted)
    {
        using var services = Services(new Dictionary<string, string?>(Configured)
        {
            ["Channels:Email:User"] = "bot",
            ["Channels:Email:Password"] = "pw",
            ["Channels:Email:Security"] = security,
            ["Channels:Email:AllowPlaintextAuth"] = allowPlaintextAuth,
        });

        var validate = () => services.GetRequiredService<IStartupValidator>().Validate();

        if (accepted)
        {
            validate();
        }
        else
        {
            var error = Assert.Throws<OptionsValidationException>(validate);
            Assert.Contains("Channels:Email:User is set but Channels:Email:Security is None", error.Message, StringComparison.Ordinal);
            Assert.Contains("Channels:Email:AllowPlaintextAuth=true", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(25, null, SmtpSecurity.StartTlsWhenAvailable)]
    [InlineData(465, null, SmtpSecurity.SslOnConnect)]
    [InlineData(587, null, SmtpSecurity.StartTls)]
    [InlineData(2525, null, SmtpSecurity.StartTlsWhenAvailable)]
    [InlineData(25, SmtpSecurity.StartTls, SmtpSecurity.StartTls)]
    [InlineData(465, SmtpSecurity.None, SmtpSecurity.None)]
    public void EffectiveSecurity_UnsetFollowsThePortSetWins(int port, SmtpSecurity? security, SmtpSecurity expected)
    {
        Assert.Equal(expected, new EmailChannelOptions { Port = port, Security = security }.EffectiveSecurity);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddEmailChannel(configuration).BuildServiceProvider();
    }
}
