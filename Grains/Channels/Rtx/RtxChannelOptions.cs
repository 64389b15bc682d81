using System.ComponentModel.DataAnnotations;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Rtx;

/// <summary>WeCom application messages (<c>Channels:Rtx</c>); the channel is on when <see cref="BaseUrl"/> is set.</summary>
public sealed class RtxChannelOptions : HttpChannelOptions
{
    public const string SectionName = "Channels:Rtx";

    /// <summary>The WeCom API root, e.g. <c>https://qyapi.weixin.qq.com</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The WeCom corporation id (<c>corpid</c> of <c>gettoken</c>); required when BaseUrl is set.</summary>
    [Required(ErrorMessage = SectionName + ":CorpId is required when " + SectionName + ":BaseUrl is set.")]
    public string CorpId { get; set; } = "";

    /// <summary>The application's secret; only ever sent to <c>gettoken</c>, never logged.</summary>
    [Required(ErrorMessage = SectionName + ":CorpSecret is required when " + SectionName + ":BaseUrl is set.")]
    public string CorpSecret { get; set; } = "";

    /// <summary>The WeCom application's AgentId that messages are sent as; required when BaseUrl is set.</summary>
    [Range(1, int.MaxValue, ErrorMessage = SectionName + ":AgentId must be the application's positive AgentId.")]
    public int AgentId { get; set; }

    /// <summary>
    /// How long before its expiry a cached access token is replaced (at most half its lifetime), so a send never
    /// races the expiry. The default value is 5 minutes.
    /// </summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);
}
