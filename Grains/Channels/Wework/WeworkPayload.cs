using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Channels.Wework;

/// <summary>The body of a robot webhook POST: a text, markdown, image, file or voice message to the chats in <c>chatid</c>.</summary>
internal sealed record WeworkSendRequest(
    [property: JsonPropertyName("chatid")] string ChatId,
    [property: JsonPropertyName("msgtype")] string MsgType,
    [property: JsonPropertyName("text")] WeworkText? Text,
    [property: JsonPropertyName("markdown")] WeworkMarkdown? Markdown)
{
    [JsonPropertyName("image")] public WeworkImage? Image { get; init; }

    [JsonPropertyName("file")] public WeworkMediaReference? File { get; init; }

    [JsonPropertyName("voice")] public WeworkMediaReference? Voice { get; init; }
}

/// <summary>An inline image: its bytes in base64 and their MD5 (both of the bytes before encoding).</summary>
internal sealed record WeworkImage(
    [property: JsonPropertyName("base64")] string Base64,
    [property: JsonPropertyName("md5")] string Md5);

/// <summary>A file or voice message: the <c>media_id</c> the robot's <c>upload_media</c> answered.</summary>
internal sealed record WeworkMediaReference([property: JsonPropertyName("media_id")] string MediaId);

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

    /// <summary>
    /// A media message is one request. A file or voice one needs the <c>media_id</c> of its upload, unknown until the
    /// transport makes it: this names it <see cref="NotUploadedMediaId"/> (what the outbox shows); the transport builds
    /// its request with <see cref="Media"/> once the upload has answered.
    /// </summary>
    public static IReadOnlyList<WeworkSendRequest> Build(NotifyMessage message, IReadOnlyList<string> chatIds)
    {
        var chatId = string.Join(ChatSeparator, chatIds);
        if (message.Media is { } media)
        {
            return [Media(chatId, media, media.Kind == WeworkMediaKind.Image ? null : NotUploadedMediaId(media))];
        }

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

    /// <summary>The request for a media message: an image inline, a file or voice by the <paramref name="mediaId"/> of its upload.</summary>
    public static WeworkSendRequest Media(string chatId, WeworkMedia media, string? mediaId)
    {
        var type = WeworkMedia.WireName(media.Kind);
        return media.Kind switch
        {
            WeworkMediaKind.Image => new WeworkSendRequest(chatId, type, null, null) { Image = new WeworkImage(Convert.ToBase64String(media.Content), media.Md5) },
            WeworkMediaKind.File => new WeworkSendRequest(chatId, type, null, null) { File = new WeworkMediaReference(RequiredMediaId(mediaId)) },
            WeworkMediaKind.Voice => new WeworkSendRequest(chatId, type, null, null) { Voice = new WeworkMediaReference(RequiredMediaId(mediaId)) },
            _ => throw new ArgumentOutOfRangeException(nameof(media), media.Kind, "not a WeCom media kind"),
        };

        static string RequiredMediaId(string? mediaId) =>
            string.IsNullOrEmpty(mediaId) ? throw new ArgumentException("a file or voice message is sent by the media_id of its upload", nameof(mediaId)) : mediaId;
    }

    /// <summary>The media id the outbox shows for an upload it does not make.</summary>
    public static string NotUploadedMediaId(WeworkMedia media) => "not-uploaded:" + media.Md5;

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
