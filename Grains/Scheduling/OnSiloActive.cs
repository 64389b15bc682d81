using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Notify.Grains.Scheduling;

/// <summary>
/// Runs one idempotent grain call once the silo is active (every silo makes it; the grain makes it happen once):
/// making sure a reminder exists, seeding data. A failure is logged, not fatal: another silo usually succeeds, and
/// this one tries again at its next start.
/// </summary>
public sealed partial class OnSiloActive(string name, Func<IGrainFactory, Task> call, IGrainFactory grainFactory, ILogger<OnSiloActive> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Registers <paramref name="call"/> under <paramref name="name"/>, which the log names when it fails.</summary>
    public static void Register(IServiceCollection services, string name, Func<IGrainFactory, Task> call) =>
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider =>
            new OnSiloActive(name, call, provider.GetRequiredService<IGrainFactory>(), provider.GetRequiredService<ILogger<OnSiloActive>>()));

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(name, ServiceLifecycleStage.Active, async _ =>
        {
            try
            {
                await call(grainFactory);
            }
            catch (Exception exception)
            {
                LogFailed(exception, name);
            }
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name} failed at start-up; another silo or the next start tries again")]
    private partial void LogFailed(Exception exception, string name);
}
