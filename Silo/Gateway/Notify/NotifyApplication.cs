using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Notify;

/// <summary>
/// Sends and send records, behind both surfaces: REST and gRPC map their input to these calls and map the answers
/// back. Validation is the grains' (<see cref="NotifyMessageValidator"/> inside <c>NotifyGrain</c>); errors are
/// <see cref="NotifyRequestException"/>s that each surface maps in one place.
/// </summary>
public sealed class NotifyApplication(IGrainFactory grains)
{
    public const int DefaultWhyNotLimit = 20;

    private IMessageQueryGrain Query => grains.GetGrain<IMessageQueryGrain>(0);

    /// <summary>
    /// Returns once the message is durably recorded. The caller's key binds the source (<see cref="GatewayCaller.Bind"/>),
    /// which also scopes <paramref name="requestId"/>.
    /// </summary>
    public Task<SubmitResult> SendAsync(NotifyMessage message, string? requestId, GatewayCaller caller) =>
        grains.GetGrain<INotifyGrain>(0).SubmitAsync(caller.Bind(message), string.IsNullOrEmpty(requestId) ? null : requestId);

    /// <summary>Submits a batch read by either surface in one grain call; one result per entry, in order.</summary>
    public Task<BatchView> SendBatchAsync(IReadOnlyList<BatchEntryInput> entries, GatewayCaller caller) =>
        BatchSubmission.SubmitAsync(entries, caller, ready => grains.GetGrain<INotifyGrain>(0).SubmitBatchAsync(ready));

    public async Task<MessageRecord> GetMessageAsync(string id) =>
        await Query.GetAsync(id) ?? throw NotifyRequestException.NotFound("id", $"no message has id '{id}'");

    public Task<MessagePage> ListMessagesAsync(MessageQuery query) => Query.ListAsync(query);

    public Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel, DateTimeOffset? from, DateTimeOffset? to, int? limit) =>
        Query.WhyNotAsync(receiver, channel, from, to, limit ?? DefaultWhyNotLimit);
}
