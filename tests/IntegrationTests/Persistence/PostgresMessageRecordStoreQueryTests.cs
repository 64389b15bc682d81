using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Persistence;
using Xunit;
using static Notify.IntegrationTests.Persistence.MessageRecords;

namespace Notify.IntegrationTests.Persistence;

/// <summary>
/// The same records in the PostgreSQL store and the embedded one, the same queries to both: the answers (ids,
/// order, totals and list bodies) must be identical.
/// </summary>
public sealed class PostgresMessageRecordStoreQueryTests(SeededRecordStores stores) : IClassFixture<SeededRecordStores>
{
    private static readonly Dictionary<string, MessageQuery> Queries = new()
    {
        ["everything"] = new MessageQuery(),
        ["channel"] = new MessageQuery { Channel = NotifyChannel.Email },
        ["status"] = new MessageQuery { Status = MessageStatus.Failed },
        ["source"] = new MessageQuery { Source = "quality" },
        ["from"] = new MessageQuery { From = Epoch.AddHours(30) },
        ["to"] = new MessageQuery { To = Epoch.AddHours(12) },
        ["window"] = new MessageQuery { From = Epoch.AddHours(10), To = Epoch.AddHours(20) },
        ["window with offset"] = new MessageQuery { From = new DateTimeOffset(2026, 11, 1, 18, 0, 0, TimeSpan.FromHours(8)), To = Epoch.AddHours(20) },
        ["receiver as written"] = new MessageQuery { Receiver = "alice" },
        ["receiver e-mail in other case"] = new MessageQuery { Receiver = "ALICE@example.COM" },
        ["receiver resolved address"] = new MessageQuery { Receiver = "+8613800000001" },
        ["receiver exact on non-email"] = new MessageQuery { Receiver = "WX-ALICE" },
        ["receiver and channel"] = new MessageQuery { Receiver = "alice", Channel = NotifyChannel.Rtx },
        ["unknown receiver"] = new MessageQuery { Receiver = "nobody" },
        ["combined"] = new MessageQuery { Channel = NotifyChannel.Sms, Source = "ci", From = Epoch.AddHours(3) },
        ["page 2 of 7"] = new MessageQuery { Page = 2, PageSize = 7 },
        ["last partial page"] = new MessageQuery { Page = 6, PageSize = 7 },
        ["page past the end"] = new MessageQuery { Page = 9, PageSize = 7 },
        ["filtered page"] = new MessageQuery { Channel = NotifyChannel.Email, Page = 2, PageSize = 3 },
    };

    public static TheoryData<string> QueryNames => [.. Queries.Keys];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(QueryNames))]
    public async Task QueryAsync_SameRecordsAsEmbeddedStore_ReturnsTheSamePage(string name)
    {
        var query = Queries[name];

        var actual = await stores.Postgres.QueryAsync(query, Cancellation);
        var expected = await stores.InMemory.QueryAsync(query, Cancellation);

        Assert.Equal(expected.Items.Select(item => item.Id), actual.Items.Select(item => item.Id));
        Assert.Equal((expected.Total, expected.Page, expected.PageSize), (actual.Total, actual.Page, actual.PageSize));
        Assert.Equal(expected.Items.Select(MessageRecordJson.Serialize), actual.Items.Select(MessageRecordJson.Serialize));
    }

    [Theory]
    [MemberData(nameof(QueryNames))]
    public async Task QueryAsync_FollowingNextCursors_ListsWhatOnePageListsWithoutCountingInBothStores(string name)
    {
        var filters = Queries[name] with { Page = 1, PageSize = 7 };
        var everything = await stores.InMemory.QueryAsync(filters with { PageSize = 200 }, Cancellation);

        var postgres = await WalkAsync(stores.Postgres, filters);
        var inMemory = await WalkAsync(stores.InMemory, filters);

        Assert.Equal(everything.Items.Select(item => item.Id), postgres.Ids);
        Assert.Equal(everything.Items.Select(item => item.Id), inMemory.Ids);
        Assert.Equal(inMemory.Cursors, postgres.Cursors);
        Assert.All(postgres.Totals.Skip(1).Concat(inMemory.Totals.Skip(1)), total => Assert.Null(total));
    }

    [Fact]
    public async Task QueryAsync_CountTotalOff_LeavesTotalUnset()
    {
        var page = await stores.Postgres.QueryAsync(new MessageQuery { CountTotal = false, PageSize = 5 }, Cancellation);

        Assert.Null(page.Total);
        Assert.Equal(5, page.Items.Count);
        Assert.NotNull(page.NextCursor);
    }

    [Fact]
    public async Task QueryAsync_CursorPage_SeeksTheCreatedAtIndexWithoutCountingOrSorting()
    {
        var cursor = new MessageListCursor(Epoch.AddHours(20), SeededRecordStores.Id(20)).Encode();

        var plan = await stores.ExplainListAsync(cursor);

        Assert.True(plan.Contains("ix_notify_message_created_at", StringComparison.Ordinal) && !plan.Contains("Sort", StringComparison.Ordinal), plan);
        Assert.DoesNotContain("Aggregate", plan, StringComparison.Ordinal);
    }

    private static async Task<(List<string> Ids, List<string?> Cursors, List<long?> Totals)> WalkAsync(Grains.Records.IMessageRecordStore store, MessageQuery first)
    {
        var (ids, cursors, totals) = (new List<string>(), new List<string?>(), new List<long?>());
        var query = first;
        while (true)
        {
            var page = await store.QueryAsync(query, Cancellation);
            ids.AddRange(page.Items.Select(item => item.Id));
            cursors.Add(page.NextCursor);
            totals.Add(page.Total);
            if (page.NextCursor is null || ids.Count > SeededRecordStores.RecordCount)
            {
                return (ids, cursors, totals);
            }

            query = first with { After = page.NextCursor };
        }
    }

    [Fact]
    public async Task QueryAsync_ReceiverFilters_MatchWrittenAndResolvedReceivers()
    {
        var byUsername = await stores.Postgres.QueryAsync(new MessageQuery { Receiver = "alice", PageSize = 200 }, Cancellation);
        var byAddress = await stores.Postgres.QueryAsync(new MessageQuery { Receiver = "+8613800000001", PageSize = 200 }, Cancellation);

        Assert.Equal(SeededRecordStores.RecordCount, byUsername.Total);
        Assert.NotEmpty(byAddress.Items);
        Assert.All(byAddress.Items, item => Assert.Contains(item.Channel, new[] { NotifyChannel.Sms, NotifyChannel.Voice }));
    }

    [Fact]
    public async Task QueryAsync_LongBodies_AreCutToThePreviewLength()
    {
        var page = await stores.Postgres.QueryAsync(new MessageQuery { PageSize = 200 }, Cancellation);

        var bodies = page.Items.ToDictionary(item => item.Id, item => item.Message.Body);
        Assert.Equal(new string('x', 512), bodies[SeededRecordStores.Id(5)]);
        Assert.Equal(new string('y', 511), bodies[SeededRecordStores.Id(6)]);
        Assert.Equal(string.Concat(Enumerable.Repeat("构建", 256)), bodies[SeededRecordStores.Id(7)]);
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 256)), bodies[SeededRecordStores.Id(8)]);
        var full = await stores.Postgres.ReadAsync(SeededRecordStores.Id(5), Cancellation);
        Assert.Equal(600, full?.Record.Message.Body.Length);
    }

    [Fact]
    public async Task QueryAsync_InvalidPaging_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => stores.Postgres.QueryAsync(new MessageQuery { PageSize = 0 }, Cancellation));
    }
}
