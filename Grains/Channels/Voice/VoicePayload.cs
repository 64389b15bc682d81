using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Http;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Voice;

/// <summary>
/// The body of CMSI <c>send_voice_msg</c>. <c>auto_read_message</c> is what the call reads out: the task name (the
/// message title) then the content, since the API has no title field. Each callee is listed with the receiver the
/// caller wrote as <c>username</c> (a username, or the phone number itself) and the number as <c>mobile_phone</c>.
/// BK-CI's transfer and recall settings have no CMSI parameter; they are sent as <c>transfer_receiver</c>,
/// <c>recall_times</c> and <c>recall_interval</c> only when set, for gateways whose voice component (a custom
/// <c>dest_url</c>) implements them, and the stock component ignores them.
/// </summary>
internal sealed record VoiceSendRequest : CmsiRequest
{
    public VoiceSendRequest(CmsiCredentials credentials, string autoReadMessage, IReadOnlyList<VoiceCallee> callees)
        : base(credentials)
    {
        AutoReadMessage = autoReadMessage;
        UserListInformation = callees;
    }

    [JsonPropertyName("auto_read_message")]
    public string AutoReadMessage { get; }

    [JsonPropertyName("user_list_information")]
    public IReadOnlyList<VoiceCallee> UserListInformation { get; }

    [JsonPropertyName("transfer_receiver")]
    public string? TransferReceiver { get; init; }

    [JsonPropertyName("recall_times")]
    public int? RecallTimes { get; init; }

    /// <summary>Seconds between re-calls.</summary>
    [JsonPropertyName("recall_interval")]
    public int? RecallInterval { get; init; }
}

internal sealed record VoiceCallee(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("mobile_phone")] string MobilePhone);

internal static class VoicePayload
{
    public const string Api = "send_voice_msg";

    public static VoiceSendRequest Build(ChannelDelivery delivery, CmsiCredentials credentials)
    {
        var message = delivery.Message;
        var callees = DeliveryAddresses.DistinctRecipients(delivery).Select(r => new VoiceCallee(r.Receiver, r.Address)).ToArray();
        return new VoiceSendRequest(credentials, AutoReadMessage(message), callees)
        {
            TransferReceiver = message.TransferReceiver.Length > 0 ? message.TransferReceiver : null,
            RecallTimes = message.RecallTimes > 0 ? message.RecallTimes : null,
            RecallInterval = message.RecallIntervalSeconds > 0 ? message.RecallIntervalSeconds : null,
        };
    }

    public static string AutoReadMessage(NotifyMessage message) =>
        message.Title.Length == 0 ? message.Body : $"{message.Title}: {message.Body}";
}
