using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Ownership;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Orleans.Concurrency;

namespace Notify.Grains.Messages;

/// <summary>Answers record queries from the record store, on the caller's silo, without activating message grains.</summary>
[StatelessWorker]
public sealed class MessageQueryGrain(IMessageRecordStore store) : Grain, IMessageQueryGrain
{
    public const int MaxWhyNotEntries = 200;

    public async Task<MessageRecord?> GetAsync(string messageId) =>
        string.IsNullOrWhiteSpace(messageId) || messageId.Length > 64
            ? throw NotifyRequestException.Invalid("id", "must be a message id")
            : (await store.ReadAsync(messageId))?.Record;

    public Task<MessagePage> ListAsync(MessageQuery query)
    {
        var errors = query.Validate();
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : store.QueryAsync(query);
    }

    public async Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel, DateTimeOffset? from, DateTimeOffset? to, int limit, OwnerScope scope)
    {
        if (string.IsNullOrWhiteSpace(receiver))
        {
            throw NotifyRequestException.Invalid("receiver", "is required");
        }

        if (limit is < 1 or > MaxWhyNotEntries)
        {
            throw NotifyRequestException.Invalid("limit", $"must be between 1 and {MaxWhyNotEntries} (got {limit})");
        }

        var query = new MessageQuery { Receiver = receiver.Trim(), Source = scope.Source, Channel = channel, From = from, To = to, PageSize = limit, CountTotal = false };
        var errors = query.Validate();
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        var page = await store.QueryAsync(query);
        return page.Items
            .SelectMany(record => record.Receivers
                .Where(outcome => scope.Matches(record, outcome, query.Receiver!))
                .Select(outcome => scope.Redact(outcome))
                .Select(outcome => new ReceiverHistoryEntry(record.Id, record.Channel, record.Message.Title, record.CreatedAt, record.Status, outcome, ReceiverExplanation.Explain(record, outcome))))
            .ToList();
    }
}
