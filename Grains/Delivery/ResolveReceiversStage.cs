using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Delivery;

/// <summary>
/// ResolveReceiversStage turns each receiver into a channel address. An address is used as written; a username is
/// looked up in the contact directory. On WeCom and WeChat a name with no directory entry is used verbatim as the
/// user id (BK-CI sends usernames to RTX); elsewhere, and whenever an entry lacks the channel's address, the receiver
/// ends Failed with <see cref="OutcomeReason.UnresolvableReceiver"/> — never dropped.
/// </summary>
public sealed class ResolveReceiversStage(IGrainFactory grainFactory) : IDeliveryStage
{
    public async ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        var channel = context.Message.Channel;
        var lookups = receivers.Select(async receiver =>
        {
            var written = receiver.Outcome.Receiver;
            if (IsAddress(channel, written))
            {
                receiver.Address = written;
                return true;
            }

            var contact = await grainFactory.GetGrain<IContactGrain>(GrainKeys.Contact(written)).GetAsync();
            var address = contact?.AddressFor(channel) ?? "";
            if (address.Length > 0)
            {
                receiver.Username = contact!.Username;
                receiver.Address = address;
                return true;
            }

            if (contact is null && channel is NotifyChannel.Rtx or NotifyChannel.Wechat)
            {
                receiver.Address = written;
                return true;
            }

            var why = contact is null
                ? $"'{written}' is not {WithArticle(Describe(channel))} and the contact directory has no user by that name"
                : $"the contact directory entry of '{written}' has no {Describe(channel)}";
            receiver.Stop(ReceiverStatus.Failed, OutcomeReason.UnresolvableReceiver, why, context.Now);
            return false;
        }).ToList();

        var resolved = await Task.WhenAll(lookups);
        return receivers.Where((_, i) => resolved[i]).ToList();
    }

    public static bool IsAddress(NotifyChannel channel, string receiver) => channel switch
    {
        NotifyChannel.Email => receiver.Contains('@'),
        NotifyChannel.Sms or NotifyChannel.Voice => ReceiverSyntax.IsPhone(receiver),
        NotifyChannel.Wework => true,
        _ => false,
    };

    private static string WithArticle(string noun) => ("aeiou".Contains(noun[0]) ? "an " : "a ") + noun;

    private static string Describe(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Email => "e-mail address",
        NotifyChannel.Sms or NotifyChannel.Voice => "phone number",
        NotifyChannel.Rtx => "WeCom user id",
        NotifyChannel.Wechat => "WeChat open id",
        _ => "address",
    };
}
