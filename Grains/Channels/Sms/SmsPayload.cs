using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Sms;

/// <summary>The body of CMSI <c>send_sms</c>: phone numbers comma-separated, the message body as the text.</summary>
internal sealed record SmsSendRequest : CmsiRequest
{
    public SmsSendRequest(CmsiCredentials credentials, string receiver, string content)
        : base(credentials)
    {
        Receiver = receiver;
        Content = content;
    }

    [JsonPropertyName("receiver")]
    public string Receiver { get; }

    [JsonPropertyName("content")]
    public string Content { get; }
}

internal static class SmsPayload
{
    public const string Api = "send_sms";

    public static SmsSendRequest Build(ChannelDelivery delivery, CmsiCredentials credentials) =>
        new(credentials, string.Join(',', DeliveryAddresses.Distinct(delivery)), delivery.Message.Body);
}
