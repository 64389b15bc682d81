using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Silo.Persistence;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

public sealed class PostgresProfileTests
{
    [Theory]
    [InlineData("", "ConnectionStrings:Notify is required")]
    [InlineData("Host=127.0.0.1;Colour=blue", "ConnectionStrings:Notify is not a valid PostgreSQL connection string")]
    [InlineData("Database=notify;Username=notify", "ConnectionStrings:Notify names no Host")]
    public void Validate_BadConnectionString_FailsNamingTheKey(string connectionString, string expected)
    {
        var result = new NotifyPostgresOptionsValidator().Validate(null, new NotifyPostgresOptions { ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.StartsWith(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseNotifyPostgres_EmptyConnectionString_SiloRefusesToStartNamingTheKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleans(silo => silo.UseNotifyPostgres(""));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("ConnectionStrings:Notify is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxBatchSize", "0", "Notify:Records:GroupCommit:MaxBatchSize must be between 1 and 1000")]
    [InlineData("MaxDelay", "00:00:00.005", "Notify:Records:GroupCommit:MaxDelay must be between 0 and 2 milliseconds")]
    [InlineData("MaxConcurrentFlushes", "0", "Notify:Records:GroupCommit:MaxConcurrentFlushes must be between 1 and 64")]
    public async Task UseNotifyPostgres_GroupCommitOutOfRange_SiloRefusesToStartNamingTheSetting(string setting, string value, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new($"{RecordGroupCommitOptions.SectionName}:{setting}", value)]);
        builder.UseOrleans(silo => silo.UseNotifyPostgres("Host=127.0.0.1"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
