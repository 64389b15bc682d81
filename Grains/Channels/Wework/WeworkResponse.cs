using System.Text.Json.Serialization;

namespace Notify.Grains.Channels.Wework;

/// <summary>The robot webhook's answer: <c>{"errcode":0,"errmsg":"ok"}</c>.</summary>
internal sealed record WeworkResponse(
    [property: JsonPropertyName("errcode")] int? ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg);
