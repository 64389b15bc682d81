using Notify.Silo.Persistence;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

/// <summary>The migration's decisions, without a database: what runs, and which databases are refused and why.</summary>
public sealed class SchemaUpgradePlanTests
{
    private static readonly SchemaScript One = SchemaScript.Create("001_first.sql", "SELECT 1");
    private static readonly SchemaScript Two = SchemaScript.Create("002_second.sql", "SELECT 2");
    private static readonly SchemaScript Ten = SchemaScript.Create("010_tenth.sql", "SELECT 10");

    private static AppliedSchemaScript Applied(SchemaScript script) => new(script.Version, script.Name, script.Sha256);

    public static TheoryData<string, SchemaScript[], AppliedSchemaScript[], string[]> Runs => new()
    {
        { "fresh database: every script in version order", [Ten, One, Two], [], ["001_first.sql", "002_second.sql", "010_tenth.sql"] },
        { "older release's database: the new ones", [One, Two, Ten], [Applied(One), Applied(Two)], ["010_tenth.sql"] },
        { "current database: nothing", [One, Two, Ten], [Applied(One), Applied(Two), Applied(Ten)], [] },
    };

    public static TheoryData<string, SchemaScript[], AppliedSchemaScript[], string> Refusals => new()
    {
        { "newer database", [One, Two], [Applied(One), Applied(Two), Applied(Ten)], "the database schema is at version 10 (010_tenth.sql), newer than this silo knows (its newest script is version 2)" },
        { "applied script edited", [One, SchemaScript.Create("002_second.sql", "SELECT 'edited'")], [Applied(One), Applied(Two)], "schema script 002_second.sql was changed after it was applied" },
        { "applied script missing from the build", [One, Ten], [Applied(One), Applied(Two), Applied(Ten)], "records schema version 2 (002_second.sql) as applied, and this silo has no such script" },
        { "new script numbered below the database", [One, Two, Ten], [Applied(One), Applied(Ten)], "schema script 002_second.sql is not applied, but the database is already at version 10" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Pending_AcceptedDatabase_IsTheScriptsNotAppliedInVersionOrder(string situation, SchemaScript[] known, AppliedSchemaScript[] applied, string[] expected)
    {
        var pending = SchemaUpgradePlan.Pending([.. known.OrderBy(script => script.Version)], applied);

        Assert.True(expected.SequenceEqual(pending.Select(script => script.Name)), situation);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Pending_DatabaseItMustNotTouch_IsRefusedSayingWhy(string situation, SchemaScript[] known, AppliedSchemaScript[] applied, string message)
    {
        var refused = Assert.Throws<SchemaMismatchException>(() => SchemaUpgradePlan.Pending(known, applied));

        Assert.True(refused.Message.Contains(message, StringComparison.Ordinal), $"{situation}: {refused.Message}");
    }

    [Theory]
    [InlineData("orleans_main.sql")]
    [InlineData("000_zero.sql")]
    [InlineData("1a_mixed.sql")]
    public void Create_NameWithoutAPositiveVersion_IsRefused(string name)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => SchemaScript.Create(name, "SELECT 1"));

        Assert.Contains($"schema script {name} is not named NNN_what.sql", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CrLfCheckout_HashesLikeTheLfOne()
    {
        Assert.Equal(SchemaScript.Create("001_a.sql", "SELECT 1;\nSELECT 2;").Sha256, SchemaScript.Create("001_a.sql", "SELECT 1;\r\nSELECT 2;").Sha256);
    }
}
