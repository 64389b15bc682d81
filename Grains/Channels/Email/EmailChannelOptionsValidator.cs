using Microsoft.Extensions.Options;
using MimeKit;

namespace Notify.Grains.Channels.Email;

/// <summary>
/// EmailChannelOptionsValidator checks the rules that span fields, naming the configuration key in every message.
/// Ranges are checked by the data annotations on <see cref="EmailChannelOptions"/>.
/// </summary>
internal sealed class EmailChannelOptionsValidator : IValidateOptions<EmailChannelOptions>
{
    private const string Section = EmailChannelOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, EmailChannelOptions options)
    {
        var errors = new List<string>();

        if (options.IsConfigured && Uri.CheckHostName(options.Host!.Trim()) == UriHostNameType.Unknown)
        {
            errors.Add($"{Section}:Host '{options.Host}' is not a host name or IP address.");
        }

        if (string.IsNullOrWhiteSpace(options.From))
        {
            if (options.IsConfigured)
            {
                errors.Add($"{Section}:From is required when {Section}:Host is set.");
            }
        }
        else if (!MailboxAddress.TryParse(options.From, out _))
        {
            errors.Add($"{Section}:From '{options.From}' is not an e-mail address (expected 'notify@example.com' or 'Notify <notify@example.com>').");
        }

        if (options.Security is { } security && !Enum.IsDefined(security))
        {
            errors.Add($"{Section}:Security must be one of None, StartTls, SslOnConnect, StartTlsWhenAvailable.");
        }
        else if (options.HasCredentials && options.EffectiveSecurity == SmtpSecurity.None && !options.AllowPlaintextAuth)
        {
            errors.Add($"{Section}:User is set but {Section}:Security is None: AUTH would send the password in cleartext. "
                + $"Use StartTls, SslOnConnect or StartTlsWhenAvailable, or set {Section}:AllowPlaintextAuth=true.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrWhiteSpace(options.User))
        {
            errors.Add($"{Section}:Password is set but {Section}:User is not.");
        }

        if (options.RateLimit is { } rateLimit)
        {
            if (rateLimit.Permits < 1)
            {
                errors.Add($"{Section}:RateLimit:Permits must be at least 1.");
            }

            if (rateLimit.Period <= TimeSpan.Zero)
            {
                errors.Add($"{Section}:RateLimit:Period must be a positive time span (for example 00:00:01).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
