using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Channels.Rtx;

/// <summary>The body of WeCom's <c>message/send</c> for a text message.</summary>
internal sealed record RtxSendRequest(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("msgtype")] string MsgType,
    [property: JsonPropertyName("agentid")] int AgentId,
    [property: JsonPropertyName("text")] RtxText Text)
{
    [JsonIgnore]
    public IReadOnlyList<string> UserIds => ToUser.Split(RtxPayload.UserSeparator);
}

internal sealed record RtxText([property: JsonPropertyName("content")] string Content);

/// <summary>Builds the <c>message/send</c> bodies of one delivery.</summary>
internal static class RtxPayload
{
    /// <summary>WeCom accepts at most 1000 user ids in one <c>touser</c>.</summary>
    public const int MaxUsersPerRequest = 1000;

    public const char UserSeparator = '|';

    /// <summary>One body per 1000 users, in order; the text is the title and the body on separate lines.</summary>
    public static IReadOnlyList<RtxSendRequest> Build(NotifyMessage message, IReadOnlyList<string> userIds, int agentId)
    {
        var text = new RtxText(Content(message));
        return userIds
            .Chunk(MaxUsersPerRequest)
            .Select(chunk => new RtxSendRequest(string.Join(UserSeparator, chunk), "text", agentId, text))
            .ToArray();
    }

    public static string Content(NotifyMessage message) =>
        message.Title.Length == 0 ? message.Body : $"{message.Title}\n{message.Body}";
}
