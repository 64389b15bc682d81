using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Wechat;

/// <summary>The body of CMSI <c>send_weixin</c>: open ids comma-separated, the text in <c>data</c>.</summary>
internal sealed record WechatSendRequest : CmsiRequest
{
    public WechatSendRequest(CmsiCredentials credentials, string receiver, WechatData data)
        : base(credentials)
    {
        Receiver = receiver;
        Data = data;
    }

    [JsonPropertyName("receiver")]
    public string Receiver { get; }

    [JsonPropertyName("data")]
    public WechatData Data { get; }
}

internal sealed record WechatData(
    [property: JsonPropertyName("heading")] string Heading,
    [property: JsonPropertyName("message")] string Message);

internal static class WechatPayload
{
    public const string Api = "send_weixin";

    /// <summary>The heading is the message title when there is one, otherwise <paramref name="defaultHeading"/>.</summary>
    public static WechatSendRequest Build(ChannelDelivery delivery, CmsiCredentials credentials, string defaultHeading)
    {
        var message = delivery.Message;
        var heading = message.Title.Length > 0 ? message.Title : defaultHeading;
        return new WechatSendRequest(credentials, string.Join(',', DeliveryAddresses.Distinct(delivery)), new WechatData(heading, message.Body));
    }
}
