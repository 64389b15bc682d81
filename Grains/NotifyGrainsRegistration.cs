using Notify.Grains.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Notify.Grains.Actions;
using Notify.Grains.Attention;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Outbox;
using Notify.Grains.Delivery;
using Notify.Grains.Messages;
using Notify.Grains.Receivers;
using Notify.Grains.Records;
using Notify.Grains.Templates;
using Notify.Grains.Telemetry;

namespace Notify.Grains;

public static class NotifyGrainsRegistration
{
    /// <summary>
    /// The services the grains need, with the embedded defaults: an in-memory record store (a profile may register
    /// its own <see cref="IMessageRecordStore"/> first) and the outbox for every channel without a provider.
    /// </summary>
    public static IServiceCollection AddNotifyGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RecordRetentionOptions>().Bind(configuration.GetSection(RecordRetentionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AttentionOptions>().Bind(configuration.GetSection(AttentionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AttentionOptions>, AttentionOptionsValidator>();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMessageRecordStore, InMemoryMessageRecordStore>();
        services.AddMetrics();
        services.TryAddSingleton<NotifyMetrics>();

        services.AddSingleton<BlacklistCache>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<BlacklistCache>());
        OnSiloActive.Register(services, "Scheduling message recovery", grains => grains.GetGrain<IMessageRecoveryGrain>(IMessageRecoveryGrain.Key).EnsureScheduledAsync());
        OnSiloActive.Register(services, "Scheduling record retention", grains => grains.GetGrain<IRecordRetentionGrain>(IRecordRetentionGrain.Key).EnsureScheduledAsync());

        services.AddHostedService<OutboxRetention>();

        services.AddSingleton<LocalMessageIds>();
        services.AddSingleton<ResolveReceiversStage>();
        services.AddSingleton<BlacklistStage>();
        services.AddSingleton<FrequencyLimitStage>();
        services.AddSingleton<AttentionStage>();
        services.AddSingleton<SendStage>();
        services.AddSingleton<RetryRulesStage>();
        services.AddSingleton<ReleaseReservationStage>();
        services.AddSingleton<DeliveryPipeline>();

        services.AddNotifyChannels(configuration);
        services.AddNotifyTemplates();
        services.AddActionInstances(configuration);
        return services;
    }
}
