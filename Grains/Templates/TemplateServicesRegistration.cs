using Notify.Grains.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Actions;

namespace Notify.Grains.Templates;

public static class TemplateServicesRegistration
{
    /// <summary>
    /// The template renderer (one parsed-template cache per silo), the seeding of built-in templates at start, and
    /// templated action notices (<see cref="TemplateActionNoticeRenderer"/>).
    /// </summary>
    public static IServiceCollection AddNotifyTemplates(this IServiceCollection services)
    {
        services.TryAddSingleton<TemplateRenderer>();
        services.TryAddSingleton<PlainTextActionNoticeRenderer>();
        services.TryAddSingleton<IActionNoticeRenderer, TemplateActionNoticeRenderer>();
        OnSiloActive.Register(services, "Seeding the built-in templates", grains => grains.GetGrain<ITemplateIndexGrain>(TemplateKeys.Index).SeedBuiltInsAsync());
        return services;
    }
}
