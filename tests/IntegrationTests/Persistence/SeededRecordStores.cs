using Microsoft.Extensions.Logging.Abstractions;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Xunit;
using static Notify.IntegrationTests.Persistence.MessageRecords;

namespace Notify.IntegrationTests.Persistence;

/// <summary>
/// A class fixture: a fresh database and an embedded store holding the same <see cref="RecordCount"/> records,
/// spread over every channel, status and source, with tied creation times and bodies around the preview length.
/// </summary>
public sealed class SeededRecordStores(PostgresServer server) : IAsyncLifetime
{
    public const int RecordCount = 40;

    private static readonly string[] Sources = ["ci", "quality", "process"];

    private MigratedPostgresDatabase? _database;

    public PostgresMessageRecordStore Postgres { get; private set; } = null!;

    public InMemoryMessageRecordStore InMemory { get; } = NewInMemoryStore();

    public static string Id(int index) => $"msg_{index:D3}";

    public async ValueTask InitializeAsync()
    {
        _database = new MigratedPostgresDatabase(server);
        await _database.InitializeAsync();
        Postgres = new PostgresMessageRecordStore(_database.DataSource, NullLogger<PostgresMessageRecordStore>.Instance);
        for (var index = 0; index < RecordCount; index++)
        {
            var record = Seed(index);
            await Postgres.WriteAsync(record, null);
            await InMemory.WriteAsync(record, null);
        }
    }

    /// <summary>
    /// The plan of an unfiltered cursor page in the shape the store sends, with sequential and bitmap scans priced out: on 40 rows
    /// the planner would rightly scan, and this asks whether the index can answer the seek and the order at all.
    /// </summary>
    public async Task<string> ExplainListAsync(string after)
    {
        MessageListCursor.TryDecode(after, out var cursor);
        await using var connection = await _database!.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new Npgsql.NpgsqlCommand("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand(
            "EXPLAIN SELECT created_at, id, record FROM notify_message WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 51",
            connection, transaction);
        explain.Parameters.Add(new Npgsql.NpgsqlParameter<DateTime> { TypedValue = cursor.CreatedAt.UtcDateTime });
        explain.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = cursor.Id });
        var plan = new System.Text.StringBuilder();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }

        return plan.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static MessageRecord Seed(int index)
    {
        var channel = NotifyChannels.All[index % NotifyChannels.All.Count];
        var statuses = Enum.GetValues<MessageStatus>();
        // Records 20 and 21 share a creation time: the id breaks the tie.
        var createdAt = Epoch.AddHours(index == 21 ? 20 : index).AddMilliseconds(index % 2 == 0 ? 0 : 250);
        var body = index switch
        {
            5 => new string('x', 600),
            6 => new string('y', 511) + "😀" + "tail", // a surrogate pair across the cut
            7 => string.Concat(Enumerable.Repeat("构建", 300)),
            8 => string.Concat(Enumerable.Repeat("😀", 300)), // 300 code points, 600 UTF-16 units
            _ => $"body of message {index}",
        };
        return New(Id(index), channel, createdAt, statuses[index % statuses.Length], Sources[index % Sources.Length], body, Receivers(channel));
    }

    // "alice" is a username resolved per channel; other receivers are addresses written by the caller.
    private static ReceiverOutcome[] Receivers(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Email => [Receiver("alice", "Alice@Example.com"), Receiver("carol@example.com")],
        NotifyChannel.Sms or NotifyChannel.Voice => [Receiver("alice", "+8613800000001"), Receiver("+8613900000002")],
        NotifyChannel.Wechat => [Receiver("alice", "wx-alice")],
        NotifyChannel.Wework => [Receiver("alice", "chat-ops"), Receiver("chat-dev")],
        _ => [Receiver("alice")],
    };
}
