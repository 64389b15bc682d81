using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Ownership;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Notify;

/// <summary>
/// Sends and send records, behind both surfaces: REST and gRPC map their input to these calls and map the answers
/// back. Validation is the grains' (<see cref="NotifyMessageValidator"/> inside <c>NotifyGrain</c>); errors are
/// <see cref="NotifyRequestException"/>s that each surface maps in one place.
/// </summary>
public sealed class NotifyApplication(IGrainFactory grains, GatewayRateLimits limits, GatewayKeyRing keys)
{
    public const int DefaultWhyNotLimit = 20;

    private IMessageQueryGrain Query => grains.GetGrain<IMessageQueryGrain>(0);

    /// <summary>
    /// Returns once the message is durably recorded. The caller's key binds the source (<see cref="GatewayCaller.Bind"/>),
    /// which also scopes <paramref name="requestId"/>. A valid message costs the key one token per delivery (receivers,
    /// cc and bcc), taken before it is accepted; an invalid one is refused for what is wrong with it, at no cost.
    /// </summary>
    public async Task<SubmitResult> SendAsync(NotifyMessage message, string? requestId, GatewayCaller caller)
    {
        var bound = caller.Bind(message);
        var valid = NotifyMessageValidator.EnsureValid(bound);
        await limits.TakeDeliveriesAsync(caller, valid.Receivers.Count + valid.Cc.Count + valid.Bcc.Count, keys);
        return await grains.GetGrain<INotifyGrain>(0).SubmitAsync(bound, string.IsNullOrEmpty(requestId) ? null : requestId);
    }

    /// <summary>
    /// Submits a batch read by either surface in one grain call; one result per entry, in order. The entries that are
    /// submitted cost one token per delivery, all together, before any is accepted.
    /// </summary>
    public Task<BatchView> SendBatchAsync(IReadOnlyList<BatchEntryInput> entries, GatewayCaller caller) =>
        BatchSubmission.SubmitAsync(entries, caller, async ready =>
        {
            await limits.TakeDeliveriesAsync(caller, ready.Sum(e => e.Message.Receivers.Count + e.Message.Cc.Count + e.Message.Bcc.Count), keys);
            return await grains.GetGrain<INotifyGrain>(0).SubmitBatchAsync(ready);
        });

    /// <summary>The record, if the caller's scope owns it; someone else's is "not found", as an unknown id is.</summary>
    public async Task<MessageRecord> GetMessageAsync(string id, OwnerScope scope) =>
        scope.Visible(await Query.GetAsync(id)) ?? throw NotifyRequestException.NotFound("id", $"no message has id '{id}'");

    /// <summary>The caller's own records only; a filter on another source matches none of them.</summary>
    public async Task<MessagePage> ListMessagesAsync(MessageQuery query, OwnerScope scope)
    {
        var errors = query.Validate();
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        if (scope.Restrict(query) is not { } own)
        {
            return new MessagePage([], query.CountsTotal ? 0 : null, query.Page, query.PageSize, null);
        }

        var page = await Query.ListAsync(own);
        return page with { Items = page.Items.Select(scope.Redact).ToArray() };
    }

    public Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel, DateTimeOffset? from, DateTimeOffset? to, int? limit, OwnerScope scope) =>
        Query.WhyNotAsync(receiver, channel, from, to, limit ?? DefaultWhyNotLimit, scope);
}
