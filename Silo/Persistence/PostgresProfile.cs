using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Records;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Notify.Silo.Persistence;

/// <summary>
/// The silo side of the Postgres profile: ADO.NET clustering, grain storage <see cref="GrainStorageName"/> and
/// reminders on the project's own schema, the schema migrator, and the PostgreSQL record store, all over one
/// <see cref="NpgsqlDataSource"/> (one connection pool to size per silo). Cluster and service ids stay with the host.
/// </summary>
public static class PostgresProfile
{
    /// <summary>The ADO.NET invariant of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The grain storage name the grains use: <c>[PersistentState("&lt;state&gt;", "notify")]</c>.</summary>
    public const string GrainStorageName = "notify";

    /// <summary>The DI key of the profile's <see cref="NpgsqlDataSource"/>, so it never clashes with another one.</summary>
    public const string DataSourceKey = "notify";

    public static ISiloBuilder UseNotifyPostgres(this ISiloBuilder silo, string connectionString) =>
        silo.UseNotifyPostgres(options => options.ConnectionString = connectionString);

    public static ISiloBuilder UseNotifyPostgres(this ISiloBuilder silo, Action<NotifyPostgresOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configure);

        var services = silo.Services;
        services.AddNotifyPostgresOptions(configure);
        services.TryAddKeyedSingleton(DataSourceKey, (provider, _) => NotifyPostgresDataSource.Create(
            provider.GetRequiredService<IOptions<NotifyPostgresOptions>>().Value.ConnectionString,
            provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton(provider => new SchemaMigrator(DataSource(provider), provider.GetRequiredService<ILogger<SchemaMigrator>>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => new SchemaMigrationStartup(
            provider.GetRequiredService<SchemaMigrator>(),
            provider.GetRequiredService<IOptions<NotifyPostgresOptions>>()));

        // Replaces whatever store an earlier registration chose (the embedded profile's in-memory one).
        services.AddOptions<RecordGroupCommitOptions>().BindConfiguration(RecordGroupCommitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.RemoveAll<IMessageRecordStore>();
        services.TryAddSingleton(provider => new PostgresMessageRecordStore(
            DataSource(provider),
            provider.GetRequiredService<ILogger<PostgresMessageRecordStore>>(),
            provider.GetRequiredService<IOptions<RecordGroupCommitOptions>>().Value));
        services.AddSingleton<IMessageRecordStore>(provider => provider.GetRequiredService<PostgresMessageRecordStore>());
        services.TryAddSingleton<IGrainStatePurger>(provider => new PostgresGrainStatePurger(
            DataSource(provider), provider.GetRequiredService<IOptions<ClusterOptions>>()));

        // The ADO.NET providers report a failed read or write as an OrleansException around Npgsql's exception. Orleans
        // only serializes exceptions of the namespaces it knows: without this, a storage failure on one silo reaches
        // the caller on another as a CodecNotFoundException, and the cause (the database is down) is lost.
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));

        silo.UseAdoNetClustering(options => options.Configure<IServiceProvider>((clustering, provider) =>
        {
            clustering.Invariant = Invariant;
            clustering.DataSource = DataSource(provider);
        }));

        silo.AddAdoNetGrainStorage(GrainStorageName, options => options.Configure<IServiceProvider>((storage, provider) =>
        {
            storage.Invariant = Invariant;
            storage.DataSource = DataSource(provider);
            // Orleans' binary serializer: stored state follows the [Id] contract of the state types, like the wire.
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>());
            // A cleared state (a purged action instance) leaves no row behind.
            storage.DeleteStateOnClear = true;
        }));

        silo.UseAdoNetReminderService(options => options.Configure<IServiceProvider>((reminders, provider) =>
        {
            reminders.Invariant = Invariant;
            reminders.DataSource = DataSource(provider);
        }));

        return silo;
    }

    internal static void AddNotifyPostgresOptions(this IServiceCollection services, Action<NotifyPostgresOptions> configure)
    {
        services.AddOptions<NotifyPostgresOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotifyPostgresOptions>, NotifyPostgresOptionsValidator>());
    }

    private static NpgsqlDataSource DataSource(IServiceProvider provider) =>
        provider.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey);
}
