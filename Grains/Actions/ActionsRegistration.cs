using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Notify.Grains.Actions;

public static class ActionsRegistration
{
    /// <summary>What action instances need: their options and the default (plain-text) notice renderer, unless one is registered.</summary>
    public static IServiceCollection AddActionInstances(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ActionOptions>().Bind(configuration.GetSection(ActionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IActionNoticeRenderer, PlainTextActionNoticeRenderer>();
        return services;
    }
}
