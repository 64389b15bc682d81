using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels.Http;

internal static class DeliveryAddresses
{
    /// <summary>
    /// The recipients once per address, in delivery order, compared the way <see cref="DeliveryResult"/> compares
    /// them (ordinal, ignoring case), so a receiver listed twice or resolved twice is sent to once.
    /// </summary>
    public static IReadOnlyList<DeliveryRecipient> DistinctRecipients(ChannelDelivery delivery) =>
        delivery.Recipients.DistinctBy(r => r.Address, StringComparer.OrdinalIgnoreCase).ToArray();

    public static IReadOnlyList<string> Distinct(ChannelDelivery delivery) =>
        DistinctRecipients(delivery).Select(r => r.Address).ToArray();
}
