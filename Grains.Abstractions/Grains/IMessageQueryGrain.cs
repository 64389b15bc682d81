using Notify.Grains.Abstractions.Ownership;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Abstractions.Grains;

/// <summary>Reads send records from the record store (stateless worker, local to the caller's silo).</summary>
[Alias("notify.IMessageQueryGrain")]
public interface IMessageQueryGrain : IGrainWithIntegerKey
{
    [Alias("Get")]
    Task<MessageRecord?> GetAsync(string messageId);

    [Alias("List")]
    Task<MessagePage> ListAsync(MessageQuery query);

    /// <summary>
    /// Every message of <paramref name="scope"/> that named <paramref name="receiver"/>, newest first, with what happened
    /// to it and why; resolved addresses only where the scope may see them.
    /// </summary>
    [Alias("WhyNot")]
    Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel, DateTimeOffset? from, DateTimeOffset? to, int limit, OwnerScope scope);
}
