using System.Text.Json.Serialization;

namespace Notify.Grains.Channels.Rtx;

/// <summary><c>gettoken</c>'s answer: <c>{"errcode":0,"access_token":"…","expires_in":7200}</c>.</summary>
internal sealed record WecomTokenResponse(
    [property: JsonPropertyName("errcode")] int? ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);

/// <summary><c>message/send</c>'s answer; the users WeCom refused are listed with '|' between them.</summary>
internal sealed record RtxSendResponse(
    [property: JsonPropertyName("errcode")] int? ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg,
    [property: JsonPropertyName("invaliduser")] string? InvalidUser,
    [property: JsonPropertyName("unlicenseduser")] string? UnlicensedUser,
    [property: JsonPropertyName("msgid")] string? MsgId);
