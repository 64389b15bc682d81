using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Channels.Wework;

/// <summary>
/// The robot's <c>upload_media</c>: a multipart POST with one part named <c>media</c>, beside the webhook
/// (<c>…/webhook/send</c> → <c>…/webhook/upload_media?key=…&amp;type=file|voice</c>), answering a <c>media_id</c>.
/// </summary>
internal static class WeworkUpload
{
    public const string PartName = "media";

    /// <summary>The upload URL of the robot whose webhook is <paramref name="webhookUrl"/>; it carries the key, so it is never logged.</summary>
    public static Uri UriFor(string webhookUrl, string key, WeworkMediaKind kind) =>
        new(new Uri(webhookUrl), $"upload_media?key={Uri.EscapeDataString(key)}&type={WeworkMedia.WireName(kind)}");

    /// <summary>
    /// The multipart body as WeCom documents it: <c>form-data; name="media"; filename="…"; filelength=N</c>. The name
    /// goes as UTF-8, as WeCom reads it (the validator has kept quotes and control characters out of it).
    /// </summary>
    public static MultipartFormDataContent Content(WeworkMedia media)
    {
        var part = new ByteArrayContent(media.Content);
        part.Headers.TryAddWithoutValidation(
            "Content-Disposition",
            string.Create(CultureInfo.InvariantCulture, $"form-data; name=\"{PartName}\"; filename=\"{media.FileName}\"; filelength={media.Content.Length}"));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { HeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        form.Add(part);
        return form;
    }
}

/// <summary><c>upload_media</c>'s answer: <c>{"errcode":0,"errmsg":"ok","type":"file","media_id":"…","created_at":"…"}</c>.</summary>
internal sealed record WeworkUploadResponse(
    [property: JsonPropertyName("errcode")] int? ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg,
    [property: JsonPropertyName("media_id")] string? MediaId);
