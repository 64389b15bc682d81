using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Records;

/// <summary>Query semantics shared by the record stores, so both profiles answer alike.</summary>
public static class MessageRecordMatching
{
    /// <summary>The receiver as written, or the address it resolved to (e-mail case-insensitive, others exact).</summary>
    public static bool NamesReceiver(MessageRecord record, string receiver)
    {
        var wanted = GrainKeys.NormalizeAddress(record.Channel, receiver);
        return record.Receivers.Any(r =>
            GrainKeys.NormalizeAddress(record.Channel, r.Receiver) == wanted ||
            (r.Address is { } address && GrainKeys.NormalizeAddress(record.Channel, address) == wanted));
    }

    /// <summary>The keys a record is found under by receiver: every receiver and resolved address, normalized.</summary>
    public static IReadOnlyList<string> ReceiverKeys(MessageRecord record) =>
        record.Receivers
            .SelectMany(r => r.Address is { } address ? new[] { r.Receiver, address } : [r.Receiver])
            .Select(value => GrainKeys.NormalizeAddress(record.Channel, value))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>A record as list queries return it: the body cut to a preview, without a media message's file.</summary>
    public static MessageRecord ForList(MessageRecord record)
    {
        record.Message = record.Message.WithoutMediaContent();
        if (record.Message.Body.Length > IMessageRecordStore.ListBodyPreviewLength)
        {
            var length = IMessageRecordStore.ListBodyPreviewLength;
            if (char.IsHighSurrogate(record.Message.Body[length - 1]))
            {
                length--;
            }

            record.Message = record.Message with { Body = record.Message.Body[..length] };
        }

        return record;
    }
}
