using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Notify.Grains.Channels.Email;

/// <summary>Says once, at start, which e-mail settings weaken transport security, so they are not left on by mistake.</summary>
internal sealed partial class EmailSecurityWarning(IOptions<EmailChannelOptions> options, ILogger<EmailSecurityWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var email = options.Value;
        if (email.AllowInvalidCertificate)
        {
            LogInvalidCertificateAllowed(logger, EmailChannelOptions.SectionName, email.Host);
        }

        if (email.HasCredentials && email.AllowPlaintextAuth)
        {
            LogPlaintextAuthAllowed(logger, EmailChannelOptions.SectionName, email.Host);
        }

        if (email.EffectiveSecurity == SmtpSecurity.None)
        {
            LogStartTlsOff(logger, EmailChannelOptions.SectionName, email.Host);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Section}:AllowInvalidCertificate is true: any certificate of SMTP server {Host} is accepted, so TLS does not stop a man in the middle. For test servers only")]
    private static partial void LogInvalidCertificateAllowed(ILogger logger, string section, string? host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Section}:AllowPlaintextAuth is true: the SMTP password for {Host} may be sent in cleartext")]
    private static partial void LogPlaintextAuthAllowed(ILogger logger, string section, string? host);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Section}:Security is None: e-mail to SMTP server {Host} is sent in cleartext even when it offers STARTTLS")]
    private static partial void LogStartTlsOff(ILogger logger, string section, string? host);
}
