using Microsoft.Extensions.Logging.Abstractions;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using static Notify.IntegrationTests.Persistence.MessageRecords;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>
/// A robot media message in the PostgreSQL record store: its bytes while it is open (lists leave them behind), only its
/// description once final.
/// </summary>
public sealed class WeworkMediaRecordStoreTests(MigratedPostgresDatabase database) : IClassFixture<MigratedPostgresDatabase>
{
    private readonly PostgresMessageRecordStore _store = new(database.DataSource, NullLogger<PostgresMessageRecordStore>.Instance);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenRecord_KeepsTheBytes_FinalRecordKeepsOnlyKindNameLengthAndMd5()
    {
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        var media = WeworkMedia.Create(WeworkMediaKind.File, "构建日志.bin", bytes);
        var receiver = "wrkMediaStore" + Guid.NewGuid().ToString("N")[..8];
        var record = New(GrainKeys.NewMessageId(), NotifyChannel.Wework, receivers: [Receiver(receiver)]);
        record.Message = record.Message with { Media = media, Body = media.Describe() };

        await _store.WriteAsync(record, expectedVersion: null, Cancellation);
        var open = (await _store.ReadAsync(record.Id, Cancellation))!.Record.Message.Media!;
        Assert.Equal(bytes, open.Content);
        Assert.Equal(media, open);
        var listed = Assert.Single((await _store.QueryAsync(new MessageQuery { Receiver = receiver, CountTotal = false }, Cancellation)).Items);
        Assert.False(listed.Message.Media!.HasContent());
        Assert.Equal(media, listed.Message.Media);

        record.Status = MessageStatus.Sent;
        record.Message = record.Message.WithoutMediaContent();
        await _store.WriteAsync(record, expectedVersion: 1, Cancellation);

        var final = (await _store.ReadAsync(record.Id, Cancellation))!.Record.Message.Media!;
        Assert.False(final.HasContent());
        Assert.Equal((media.Kind, media.FileName, media.Length, media.Md5), (final.Kind, final.FileName, final.Length, final.Md5));
        await using var command = database.DataSource.CreateCommand("SELECT length(record::text) FROM notify_message WHERE id = $1");
        command.Parameters.AddWithValue(record.Id);
        Assert.True((int)(await command.ExecuteScalarAsync(Cancellation))! < 4096, "the final record's JSON still holds the file");
    }
}
