using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Gateway.Common;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// A grain whose state write fails because PostgreSQL is down fails its caller with an error the gateway answers as
/// "unavailable, try again" (503 / UNAVAILABLE), also when the grain lives on another silo than the caller.
/// </summary>
public sealed class StoreOutageErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Translate_ContactWriteFailedOnAnotherSiloWhilePostgresIsDown_IsUnavailable()
    {
        await using var postgres = await PostgresServer.StartLocalAsync(crashSafe: true);
        var database = PostgresOutageTests.WithTimeouts(await postgres.CreateDatabaseAsync("store_outage_errors", Ct));
        var clusterId = "errors-" + Guid.NewGuid().ToString("N")[..8];
        await using var caller = await InProcessSilo.StartAsync(database, clusterId);
        await using var other = await InProcessSilo.StartAsync(database, clusterId);
        var otherAddress = other.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        // A contact placed on the other silo, which the caller's silo then reaches remotely.
        const string username = "user0";
        await PlacementHint.OnSilo(otherAddress, () => other.Client.GetGrain<IContactGrain>(GrainKeys.Contact(username)).PutAsync(new Contact { Username = username, Email = $"{username}@example.com" }));
        var remote = caller.Client.GetGrain<IContactGrain>(GrainKeys.Contact(username));
        Assert.Equal(otherAddress, await caller.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(remote, Ct));
        await postgres.StopAsync();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => remote.PutAsync(new Contact { Username = remote.GetPrimaryKeyString()[2..], Email = "new@example.com" }));
        var translated = GatewayErrors.Translate(failure);

        // Back up, so the silos leave the cluster at once instead of retrying their goodbye.
        await postgres.StartAsync();

        Assert.True(translated is not null, $"the gateway would answer 500 to {failure.GetType().Name}: {failure.Message}");
        Assert.Equal(RequestErrorKind.Unavailable, translated.Kind);
        Assert.Equal("store", Assert.Single(translated.Errors).Field);
    }
}
