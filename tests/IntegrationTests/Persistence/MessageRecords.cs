using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Orleans.Serialization;

namespace Notify.IntegrationTests.Persistence;

/// <summary>Builders of send records for the record store tests.</summary>
internal static class MessageRecords
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static MessageRecord New(
        string id,
        NotifyChannel channel = NotifyChannel.Email,
        DateTimeOffset? createdAt = null,
        MessageStatus status = MessageStatus.Pending,
        string source = "ci",
        string body = "build 42 failed",
        params ReceiverOutcome[] receivers)
    {
        var created = createdAt ?? Epoch;
        var outcomes = receivers.Length > 0 ? receivers : [Receiver("alice@example.com")];
        return new MessageRecord
        {
            Id = id,
            Message = new NotifyMessage
            {
                Channel = channel,
                Receivers = outcomes.Select(outcome => outcome.Receiver).ToArray(),
                Title = "Pipeline p1",
                Body = body,
                Source = source,
                Sender = "devops",
                Priority = NotifyPriority.High,
                FrequencyLimitMinutes = 5,
                DelaySeconds = 0,
            },
            Status = status,
            Receivers = [.. outcomes],
            ContentMd5 = "0123456789abcdef0123456789abcdef",
            CreatedAt = created,
            UpdatedAt = created,
            NextAttemptAt = status.IsFinal() ? null : created.AddMinutes(1),
            CompletedAt = status.IsFinal() ? created.AddSeconds(3) : null,
            RequestId = "req-" + id,
        };
    }

    public static ReceiverOutcome Receiver(string receiver, string? address = null, ReceiverStatus status = ReceiverStatus.Pending) =>
        new() { Receiver = receiver, Address = address, Status = status };

    /// <summary>The embedded profile's store, the reference the PostgreSQL store must agree with.</summary>
    public static InMemoryMessageRecordStore NewInMemoryStore() =>
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>());
}
