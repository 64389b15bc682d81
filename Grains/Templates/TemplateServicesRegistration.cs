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
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, BuiltInTemplateSeeder>();
        return services;
    }
}

/// <summary>Seeds the built-in templates once the silo is active (every silo asks; the index grain makes it happen once).</summary>
public sealed partial class BuiltInTemplateSeeder(IGrainFactory grainFactory, ILogger<BuiltInTemplateSeeder> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BuiltInTemplateSeeder), ServiceLifecycleStage.Active, async _ =>
        {
            try
            {
                await grainFactory.GetGrain<ITemplateIndexGrain>(TemplateKeys.Index).SeedBuiltInsAsync();
            }
            catch (Exception exception)
            {
                // Seeding is idempotent; the next silo start tries again.
                LogSeedFailed(exception);
            }
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seeding the built-in templates failed; the next start tries again")]
    private partial void LogSeedFailed(Exception exception);
}
