using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Grains.Records;

namespace Notify.UnitTests.Records;

/// <summary>Notify:Retention as the silo binds and validates it at start-up.</summary>
public sealed class RecordRetentionOptionsTests
{
    private static RecordRetentionOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{RecordRetentionOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<RecordRetentionOptions>().Bind(configuration.GetSection(RecordRetentionOptions.SectionName)).ValidateDataAnnotations();
        return services.BuildServiceProvider().GetRequiredService<IOptions<RecordRetentionOptions>>().Value;
    }

    [Fact]
    public void Defaults_KeepBodiesAsLongAsRecords()
    {
        var options = Bind();

        Assert.Equal((TimeSpan.FromDays(30), TimeSpan.FromDays(30)), (options.Records, options.Bodies));
    }

    [Fact]
    public void Bodies_ShorterThanRecords_Accepted()
    {
        Assert.Equal(TimeSpan.FromDays(7), Bind(("Bodies", "7.00:00:00")).Bodies);
    }

    [Theory]
    [InlineData("31.00:00:00", "Notify:Retention:Bodies (31.00:00:00) must not be longer than Notify:Retention:Records (30.00:00:00)")]
    [InlineData("00:10:00", "Notify:Retention:Bodies must be between 1 hour and 3650 days")]
    public void Bodies_Invalid_RefusedNamingTheKey(string bodies, string message)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Bind(("Bodies", bodies)));

        Assert.Contains(message, refused.Message);
    }
}
