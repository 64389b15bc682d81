using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Hosting;
using Npgsql;
using static Notify.IntegrationTests.Delivery.DeliveryTests;

namespace Notify.IntegrationTests.Delivery;

/// <summary>The real host on the Postgres profile: records in PostgreSQL, and nothing lost across a restart.</summary>
public sealed class PostgresProfileTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class ProfileHost(WebApplication app) : IAsyncDisposable
    {
        public IClusterClient Client => app.Services.GetRequiredService<IClusterClient>();

        public static async Task<ProfileHost> StartAsync(string connectionString, string cluster, ScriptedTransport transport)
        {
            var app = NotifyHost.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Notify:Profile"] = "Postgres",
                    ["ConnectionStrings:Notify"] = connectionString,
                    ["Orleans:ClusterId"] = cluster,
                    ["Orleans:ServiceId"] = cluster,
                    ["Silo:SiloPort"] = LoopbackPorts.Free().ToString(),
                    ["Silo:GatewayPort"] = LoopbackPorts.Free().ToString(),
                    ["Gateway:HttpPort"] = "0",
                    ["Gateway:GrpcPort"] = "0",
                    ["Notify:Reminders:MinimumPeriod"] = "00:00:01",
                    ["Notify:Outbox:Path"] = Path.Combine(Path.GetTempPath(), "notify-outbox-" + Guid.NewGuid().ToString("N")),
                });
                builder.Services.AddSingleton<IChannelTransport>(transport);
            });
            await app.StartAsync();
            return new ProfileHost(app);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Submit_RecordIsInPostgreSql_AndQueryable()
    {
        var database = await postgres.CreateDatabaseAsync("profile", Ct);
        var transport = new ScriptedTransport(NotifyChannel.Email);
        await using var host = await ProfileHost.StartAsync(database, "profile-record", transport);

        var id = (await host.Client.GetGrain<INotifyGrain>(0).SubmitAsync(EmailTo("a@example.com"))).MessageId;
        var record = await Eventually.WaitAsync(
            () => host.Client.GetGrain<IMessageQueryGrain>(0).GetAsync(id),
            r => r?.Status.IsFinal() == true,
            TimeSpan.FromSeconds(20),
            r => $"message {id} is {r?.Status}");

        Assert.Equal(MessageStatus.Sent, record!.Status);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("select status, channel, receiver_keys from notify_message where id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("Sent", reader.GetString(0));
        Assert.Equal("email", reader.GetString(1).ToLowerInvariant());
        Assert.Contains("a@example.com", reader.GetFieldValue<string[]>(2));
    }

    [Fact]
    public async Task Restart_MessageAcceptedBeforeTheStop_IsDeliveredAfterIt()
    {
        var database = await postgres.CreateDatabaseAsync("restart", Ct);
        var before = new ScriptedTransport(NotifyChannel.Email);
        string delayed;
        await using (var host = await ProfileHost.StartAsync(database, "profile-restart", before))
        {
            delayed = (await host.Client.GetGrain<INotifyGrain>(0).SubmitAsync(EmailTo("a@example.com") with { DelaySeconds = 4 })).MessageId;
            var pending = await host.Client.GetGrain<IMessageQueryGrain>(0).GetAsync(delayed);
            Assert.Equal(MessageStatus.Pending, pending!.Status);
        }

        Assert.Empty(before.Deliveries);
        var after = new ScriptedTransport(NotifyChannel.Email);
        await using var restarted = await ProfileHost.StartAsync(database, "profile-restart", after);

        // The delay's reminder lives in PostgreSQL, so the new silo wakes the message on time.
        var record = await Eventually.WaitAsync(
            () => restarted.Client.GetGrain<IMessageQueryGrain>(0).GetAsync(delayed),
            r => r?.Status.IsFinal() == true,
            TimeSpan.FromSeconds(30),
            r => $"message {delayed} is {r?.Status}");
        Assert.Equal(MessageStatus.Sent, record!.Status);
        Assert.Equal(delayed, Assert.Single(after.Deliveries).MessageId);
    }
}
