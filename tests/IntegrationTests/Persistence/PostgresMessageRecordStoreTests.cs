using Microsoft.Extensions.Logging.Abstractions;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Npgsql;
using Xunit;
using static Notify.IntegrationTests.Persistence.MessageRecords;

namespace Notify.IntegrationTests.Persistence;

public sealed class PostgresMessageRecordStoreTests(MigratedPostgresDatabase database, PostgresServer server)
    : IClassFixture<MigratedPostgresDatabase>
{
    private readonly PostgresMessageRecordStore _store = new(database.DataSource, NullLogger<PostgresMessageRecordStore>.Instance);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await _store.ReadAsync(NewId(), Cancellation));
    }

    [Fact]
    public async Task WriteAsync_NewRecord_InsertsVersionOneThatReadsBackIdentical()
    {
        var record = New(NewId(), receivers: [Receiver("Alice@Example.com"), Receiver("bob", "bob@example.com", ReceiverStatus.Sent)]);
        record.LastError = "421 try later";
        record.PossibleDuplicate = true;

        var version = await _store.WriteAsync(record, expectedVersion: null, Cancellation);

        Assert.Equal(1, version);
        var stored = await _store.ReadAsync(record.Id, Cancellation);
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal(MessageRecordJson.Serialize(record), MessageRecordJson.Serialize(stored.Record));
    }

    [Fact]
    public async Task WriteAsync_ExpectedVersionMatches_ReplacesRecordAndIncrementsVersion()
    {
        var record = New(NewId());
        await _store.WriteAsync(record, null, Cancellation);
        record.Status = MessageStatus.Sent;
        record.Receivers[0].Status = ReceiverStatus.Sent;
        record.CompletedAt = record.CreatedAt.AddSeconds(2);

        var version = await _store.WriteAsync(record, expectedVersion: 1, Cancellation);

        Assert.Equal(2, version);
        var stored = await _store.ReadAsync(record.Id, Cancellation);
        Assert.Equal(2, stored?.Version);
        Assert.Equal(MessageStatus.Sent, stored?.Record.Status);
        Assert.Equal(ReceiverStatus.Sent, stored?.Record.Receivers[0].Status);
    }

    [Fact]
    public async Task WriteAsync_StaleVersion_ThrowsConflictAndKeepsStoredRecord()
    {
        var record = New(NewId());
        await _store.WriteAsync(record, null, Cancellation);
        record.Status = MessageStatus.Sending;
        await _store.WriteAsync(record, 1, Cancellation);
        record.Status = MessageStatus.Failed;

        await Assert.ThrowsAsync<RecordVersionConflictException>(() => _store.WriteAsync(record, 1, Cancellation));

        var stored = await _store.ReadAsync(record.Id, Cancellation);
        Assert.Equal((MessageStatus.Sending, 2), (stored?.Record.Status, stored?.Version));
    }

    [Fact]
    public async Task WriteAsync_InsertOfExistingId_ThrowsConflict()
    {
        var record = New(NewId());
        await _store.WriteAsync(record, null, Cancellation);

        await Assert.ThrowsAsync<RecordVersionConflictException>(() => _store.WriteAsync(record, null, Cancellation));
    }

    [Fact]
    public async Task WriteAsync_UpdateOfUnknownId_ThrowsConflict()
    {
        await Assert.ThrowsAsync<RecordVersionConflictException>(() => _store.WriteAsync(New(NewId()), 1, Cancellation));
    }

    [Fact]
    public async Task WriteAsync_Record_LeavesColumnsAndJsonReadableWithPsql()
    {
        var record = New(NewId(), NotifyChannel.Email, status: MessageStatus.PartiallySent, body: "构建失败",
            receivers: [Receiver("Alice@Example.com"), Receiver("bob", "Bob@Example.com")]);

        await _store.WriteAsync(record, null, Cancellation);

        await using var command = database.DataSource.CreateCommand(
            """
            SELECT channel, status, priority, receiver_keys, record->>'status', record->'message'->>'channel',
                   record->'message'->>'body', record->'receivers'->0->>'status', version
            FROM notify_message WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Id });
        await using var reader = await command.ExecuteReaderAsync(Cancellation);
        Assert.True(await reader.ReadAsync(Cancellation));
        Assert.Equal("email", reader.GetString(0));
        Assert.Equal("PartiallySent", reader.GetString(1));
        Assert.Equal(1, reader.GetInt16(2));
        Assert.Equal(["alice@example.com", "bob", "bob@example.com"], reader.GetFieldValue<string[]>(3));
        Assert.Equal("PartiallySent", reader.GetString(4));
        Assert.Equal("Email", reader.GetString(5));
        Assert.Equal("构建失败", reader.GetString(6));
        Assert.Equal("Pending", reader.GetString(7));
        Assert.Equal(1, reader.GetInt32(8));
    }

    [Fact]
    public async Task FindOverdueAsync_MixedRecords_ReturnsInFlightOnesDueBeforeTheCutoffOldestFirst()
    {
        // Its own database: the sweep looks at every record.
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("overdue", Cancellation));
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken: Cancellation);
        var store = new PostgresMessageRecordStore(dataSource, NullLogger<PostgresMessageRecordStore>.Instance);
        var reference = NewInMemoryStore();
        var now = Epoch.AddHours(1);
        MessageRecord[] records =
        [
            WithNextAttempt(New("msg_retrying", status: MessageStatus.Retrying), now.AddMinutes(-5)),
            WithNextAttempt(New("msg_pending", status: MessageStatus.Pending), now.AddMinutes(-30)),
            WithNextAttempt(New("msg_sending", status: MessageStatus.Sending), now.AddMinutes(-10)),
            WithNextAttempt(New("msg_future", status: MessageStatus.Pending), now.AddMinutes(5)),
            WithNextAttempt(New("msg_final", status: MessageStatus.Failed), now.AddMinutes(-60)),
            WithNextAttempt(New("msg_unscheduled", status: MessageStatus.Sending), null),
        ];
        foreach (var record in records)
        {
            await store.WriteAsync(record, null, Cancellation);
            await reference.WriteAsync(record, null, Cancellation);
        }

        var all = await store.FindOverdueAsync(now, limit: 10, Cancellation);
        var firstTwo = await store.FindOverdueAsync(now, limit: 2, Cancellation);

        Assert.Equal(["msg_pending", "msg_sending", "msg_retrying"], all);
        Assert.Equal(await reference.FindOverdueAsync(now, 10, Cancellation), all);
        Assert.Equal(["msg_pending", "msg_sending"], firstTwo);
        Assert.Empty(await store.FindOverdueAsync(now, limit: 0, Cancellation));
    }

    [Fact]
    public void InFlightStatusList_Always_NamesTheNonFinalStatusesAsTheOverdueIndexDoes()
    {
        var nonFinal = Enum.GetValues<MessageStatus>().Where(status => !status.IsFinal()).Select(status => $"'{status}'");
        var script = SchemaMigrator.Scripts.Single(script => script.Name == "010_notify_messages.sql").Text;

        Assert.Equal(PostgresMessageRecordStore.InFlightStatusList, string.Join(", ", nonFinal));
        Assert.Contains($"WHERE status IN ({PostgresMessageRecordStore.InFlightStatusList})", script, StringComparison.Ordinal);
    }

    private static MessageRecord WithNextAttempt(MessageRecord record, DateTimeOffset? nextAttemptAt)
    {
        record.NextAttemptAt = nextAttemptAt;
        return record;
    }

    private static string NewId() => GrainKeys.NewMessageId();
}
