using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Notify.Grains.Channels.Http;

/// <summary>The registration steps the five HTTP channels' <c>Add…Channel</c> methods share.</summary>
internal static class HttpChannelRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> (the outbox renderer reads it, configured or
    /// not). Returns whether the channel is configured, that is <paramref name="endpointKey"/> is set; only then are the
    /// options validated at start-up, since an unconfigured channel writes to the outbox and needs no credentials.
    /// </summary>
    public static bool BindOptions<TOptions, TValidator>(IServiceCollection services, IConfigurationSection section, string endpointKey)
        where TOptions : HttpChannelOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        var options = services.AddOptions<TOptions>().Bind(section);
        if (string.IsNullOrWhiteSpace(section[endpointKey]))
        {
            return false;
        }

        var alreadyAdded = services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationType == typeof(TValidator));
        if (!alreadyAdded)
        {
            options.ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        }

        return true;
    }

    /// <summary>
    /// A named client per channel; the per-request timeout comes from the channel's options, not HttpClient.Timeout.
    /// Redirects are not followed: a followed redirect would carry the request, and the secret in its body or URL,
    /// to wherever the answer points (and turn a POST into a GET on 301/302); a 3xx fails the send instead.
    /// </summary>
    public static void AddProviderHttpClient(IServiceCollection services, string name)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(name, client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
    }
}
