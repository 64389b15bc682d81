using System.ComponentModel.DataAnnotations;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Wechat;

/// <summary>WeChat messages through a CMSI gateway's <c>send_weixin</c> (<c>Channels:Wechat</c>); on when <c>BaseUrl</c> is set.</summary>
public sealed class WechatChannelOptions : CmsiChannelOptions
{
    public const string SectionName = "Channels:Wechat";

    /// <summary>
    /// <c>data.heading</c>, which <c>send_weixin</c> requires, for messages without a title (WeChat requests have none).
    /// The default value is "Notification".
    /// </summary>
    [Required(ErrorMessage = SectionName + ":Heading must not be empty: send_weixin requires a heading.")]
    public string Heading { get; set; } = "Notification";

    internal override string Section => SectionName;
}
