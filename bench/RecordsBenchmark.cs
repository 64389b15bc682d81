using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Persistence;
using Npgsql;

namespace Notify.Bench;

/// <summary>
/// Record queries at volume on the PostgreSQL store: loads N records (one written through the store, the rest copied
/// from it in SQL with their own id, time and receiver), then times the message list (first page, the 1,000th by
/// cursor, a numbered page near the offset limit) and why-not for a receiver, as <c>GET /service/notify/messages</c>
/// and <c>/why-not</c> run them (the store's queries, without HTTP).
/// </summary>
public static class RecordsBenchmark
{
    public static Command Command()
    {
        var records = new Option<int>("--records") { Description = "Records to load", DefaultValueFactory = _ => 1_000_000 };
        var samples = new Option<int>("--samples") { Description = "Timed calls per query", DefaultValueFactory = _ => 200 };
        var receivers = new Option<int>("--receivers") { Description = "Distinct receivers the records are spread over", DefaultValueFactory = _ => 10_000 };
        var command = new Command("records", "List and why-not latency (p50/p99) on the PostgreSQL record store at N records") { records, samples, receivers };
        command.SetAction(async parse => await RunAsync(parse.GetValue(records), parse.GetValue(samples), parse.GetValue(receivers)));
        return command;
    }

    private static async Task RunAsync(int count, int samples, int receivers)
    {
        await using var postgres = await ActionBenchPostgres.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("records");
        await using var dataSource = NotifyPostgresDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        await using var store = new PostgresMessageRecordStore(dataSource, NullLogger<PostgresMessageRecordStore>.Instance);

        var newest = DateTimeOffset.UtcNow;
        var load = Stopwatch.StartNew();
        await store.WriteAsync(Template(newest), null);
        await ExecuteAsync(dataSource,
            """
            INSERT INTO notify_message
            SELECT 'msg_bench_' || lpad(i::text, 8, '0'), channel, status, source, sender, priority,
                   created_at - i * interval '2 seconds', updated_at - i * interval '2 seconds', next_attempt_at,
                   completed_at - i * interval '2 seconds', content_md5, frequency_limit_minutes, delay_seconds, attempts,
                   retry_count, last_error, possible_duplicate, NULL,
                   ARRAY['user' || (i % $2) || '@example.com'],
                   jsonb_set(record, '{id}', to_jsonb('msg_bench_' || lpad(i::text, 8, '0'))), version
            FROM notify_message, generate_series(1, $1 - 1) AS i
            WHERE id = 'msg_bench_template'
            """, count, receivers);
        await ExecuteAsync(dataSource, "VACUUM ANALYZE notify_message");
        Console.WriteLine($"records: {count:N0} records over {receivers:N0} receivers loaded in {load.Elapsed.TotalSeconds:F0} s (PostgreSQL {string.Join(", ", ActionBenchPostgres.Settings)}), {samples} timed calls per query, 1 at a time");

        var firstPage = new MessageQuery { PageSize = 20, CountTotal = false };
        await Report("list, first page (20, no total)", samples, () => store.QueryAsync(firstPage));
        await Report("list, first page (20, with total)", Math.Max(5, samples / 20), () => store.QueryAsync(firstPage with { CountTotal = true }));

        var cursor = await CursorBeforePageAsync(store, firstPage, 1000);
        await Report("list, 1,000th page by cursor", samples, () => store.QueryAsync(firstPage with { After = cursor }));
        var deepest = MessageQuery.MaxOffset / firstPage.PageSize + 1;
        await Report($"list, page {deepest} by number (offset {MessageQuery.MaxOffset:N0}, the deepest allowed)", samples, () => store.QueryAsync(firstPage with { Page = deepest }));

        var receiver = 0;
        await Report("why-not (20 newest of one receiver's ~" + (count / receivers) + ")", samples,
            () => store.QueryAsync(new MessageQuery { Receiver = $"user{Interlocked.Increment(ref receiver) % receivers}@example.com", PageSize = 20, CountTotal = false }));
        await Report("why-not, channel and last 24 h", samples,
            () => store.QueryAsync(new MessageQuery { Receiver = $"user{Interlocked.Increment(ref receiver) % receivers}@example.com", Channel = NotifyChannel.Email, From = newest.AddDays(-1), PageSize = 20, CountTotal = false }));
        await Report("list, filtered by source and status", samples,
            () => store.QueryAsync(new MessageQuery { Source = "ci", Status = MessageStatus.Sent, PageSize = 20, CountTotal = false }));
    }

    private static async Task<string> CursorBeforePageAsync(PostgresMessageRecordStore store, MessageQuery query, int page)
    {
        var walk = Stopwatch.StartNew();
        string? cursor = null;
        for (var p = 1; p < page; p++)
        {
            cursor = (await store.QueryAsync(query with { After = cursor })).NextCursor ?? throw new InvalidOperationException($"the list ended at page {p}");
        }

        Console.WriteLine($"  (walked {page - 1} pages by cursor in {walk.Elapsed.TotalSeconds:F1} s: {walk.Elapsed.TotalMilliseconds / (page - 1):F2} ms per page)");
        return cursor!;
    }

    private static async Task Report(string name, int samples, Func<Task<MessagePage>> query)
    {
        for (var warm = 0; warm < Math.Min(10, samples); warm++)
        {
            await query();
        }

        var rows = 0;
        var stats = await LatencyStats.MeasureAsync(samples, 1, async _ => rows = (await query()).Items.Count);
        Console.WriteLine($"  {name}: {stats.Describe()} ({rows} rows)");
    }

    private static MessageRecord Template(DateTimeOffset createdAt) => new()
    {
        Id = "msg_bench_template",
        Message = new NotifyMessage
        {
            Channel = NotifyChannel.Email,
            Receivers = ["user0@example.com"],
            Title = "Pipeline p1 #42 failed",
            Body = string.Concat(Enumerable.Repeat("Stage build failed on agent 12: exit code 1. ", 20)),
            Source = "ci",
            Sender = "devops",
            Priority = NotifyPriority.Normal,
        },
        Status = MessageStatus.Sent,
        Receivers = [new ReceiverOutcome { Receiver = "user0@example.com", Address = "user0@example.com", Status = ReceiverStatus.Sent }],
        ContentMd5 = "0123456789abcdef0123456789abcdef",
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        CompletedAt = createdAt.AddSeconds(1),
        Attempts = 1,
    };

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
