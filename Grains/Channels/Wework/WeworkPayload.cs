using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Channels.Wework;

/// <summary>The body of a robot webhook POST: a text or a markdown message to the chats in <c>chatid</c>.</summary>
internal sealed record WeworkSendRequest(
    [property: JsonPropertyName("chatid")] string ChatId,
    [property: JsonPropertyName("msgtype")] string MsgType,
    [property: JsonPropertyName("text")] WeworkText? Text,
    [property: JsonPropertyName("markdown")] WeworkMarkdown? Markdown);

internal sealed record WeworkText(
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("mentioned_list")] IReadOnlyList<string>? MentionedList,
    [property: JsonPropertyName("mentioned_mobile_list")] IReadOnlyList<string>? MentionedMobileList = null);

internal sealed record WeworkMarkdown([property: JsonPropertyName("content")] string Content);

/// <summary>
/// Builds the robot requests of one message: one request per part of the content, in order, each to all chats.
/// </summary>
/// <remarks>
/// Content above WeCom's limit (text 2048 bytes, markdown 4096 bytes of UTF-8) is split by <see cref="Utf8ContentSplitter"/>.
/// Mentions go with the last part, so people are pinged once the whole message is there: a text message carries
/// them as <c>mentioned_list</c> and <c>mentioned_mobile_list</c>; markdown has no such field, so <c>&lt;@userid&gt;</c> tags are appended on a new line,
/// spilling into extra parts (never splitting a tag) when the last part has no room.
/// </remarks>
internal static class WeworkPayload
{
    public const int MaxTextBytes = 2048;
    public const int MaxMarkdownBytes = 4096;
    public const char ChatSeparator = '|';

    public static IReadOnlyList<WeworkSendRequest> Build(NotifyMessage message, IReadOnlyList<string> chatIds)
    {
        var chatId = string.Join(ChatSeparator, chatIds);
        var mentions = message.MentionedList;
        if (message.TextType == RobotTextType.Markdown)
        {
            return MarkdownParts(message.Body, mentions)
                .Select(part => new WeworkSendRequest(chatId, "markdown", null, new WeworkMarkdown(part)))
                .ToArray();
        }

        var parts = Utf8ContentSplitter.Split(message.Body, MaxTextBytes);
        var mobiles = message.MentionedMobileList;
        return parts
            .Select((part, i) => new WeworkSendRequest(chatId, "text", i == parts.Count - 1 ? LastText(part, mentions, mobiles) : new WeworkText(part, null), null))
            .ToArray();
    }

    private static WeworkText LastText(string part, IReadOnlyList<string> mentions, IReadOnlyList<string> mobiles) =>
        new(part, mentions.Count > 0 ? mentions : null, mobiles.Count > 0 ? mobiles : null);

    public static IReadOnlyList<string> MarkdownParts(string body, IReadOnlyList<string> mentions)
    {
        var parts = Utf8ContentSplitter.Split(body, MaxMarkdownBytes).ToList();
        if (mentions.Count == 0)
        {
            return parts;
        }

        var tags = mentions.Select(m => $"<@{m}>").ToArray();
        var suffix = "\n" + string.Concat(tags);
        if (Utf8ContentSplitter.ByteCount(parts[^1]) + Utf8ContentSplitter.ByteCount(suffix) <= MaxMarkdownBytes)
        {
            parts[^1] += suffix;
            return parts;
        }

        var current = "";
        foreach (var tag in tags)
        {
            if (current.Length > 0 && Utf8ContentSplitter.ByteCount(current) + Utf8ContentSplitter.ByteCount(tag) > MaxMarkdownBytes)
            {
                parts.Add(current);
                current = "";
            }

            current += tag;
        }

        parts.Add(current);
        return parts;
    }
}
