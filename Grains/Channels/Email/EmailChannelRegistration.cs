using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Notify.Grains.Channels.Email;

public static class EmailChannelRegistration
{
    /// <summary>
    /// Adds the e-mail channel: <see cref="EmailChannelOptions"/> from <c>Channels:Email</c>, validated at start-up
    /// (the rules pass when the section is empty), the .eml outbox renderer always, and the
    /// <see cref="SmtpTransport"/> only when <c>Channels:Email:Host</c> is set.
    /// </summary>
    public static IServiceCollection AddEmailChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(EmailChannelOptions.SectionName);
        services.AddOptions<EmailChannelOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailChannelOptions>, EmailChannelOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxRenderer, EmailOutboxRenderer>());

        if (!string.IsNullOrWhiteSpace(section[nameof(EmailChannelOptions.Host)]))
        {
            services.TryAddSingleton<SmtpTransport>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelTransport, SmtpTransport>(sp => sp.GetRequiredService<SmtpTransport>()));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EmailSecurityWarning>());
        }

        return services;
    }
}
