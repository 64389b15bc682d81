using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.HttpProviders;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// BK-CI's <c>sendWeworkMediaNotify</c> (<c>POST /service/notifies/wework/media</c>, Jersey <c>MULTIPART_FORM_DATA</c>):
/// the query carries receivers, receiver type, media type and name, the part <c>file</c> the bytes, as BK-CI's client
/// posts them; each send is followed to the robot server (an image inline, a file through <c>upload_media</c>).
/// </summary>
public sealed class BkciMediaContractTests(BkciContractHostFixture fixture) : IClassFixture<BkciContractHostFixture>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52];

    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task Image_MultipartAsBkciPostsIt_SentInlineWithBase64AndMd5_BytesDroppedFromTheFinalRecord()
    {
        var response = await PostMediaAsync("receivers=wrkMediaImageChat&receiverType=group&mediaType=image&mediaName=chart.png", Png, "chart.png");

        var record = await AssertSentAsync(response);
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook), r => (string?)r.Json["chatid"] == "wrkMediaImageChat");
        Assert.Equal("image", (string?)send.Json["msgtype"]);
        Assert.Equal(Png, Convert.FromBase64String((string)send.Json["image"]!["base64"]!));
        Assert.Equal(Md5(Png), (string?)send.Json["image"]!["md5"]);
        Assert.Equal(HttpProviderCredentials.RobotKey, send.Query["key"]);

        var media = record.Message.Media!;
        Assert.False(media.HasContent());
        Assert.Equal((WeworkMediaKind.Image, "chart.png", Png.Length, Md5(Png)), (media.Kind, media.FileName, media.Length, media.Md5));
        Assert.Equal($"[image] chart.png ({Png.Length} bytes, md5 {Md5(Png)})", record.Message.Body);
    }

    [Fact]
    public async Task File_NamedRobot_UploadedAsMediaPartThenSentByMediaIdWithThatRobotsKey()
    {
        var bytes = Encoding.UTF8.GetBytes("构建日志 line 1\nline 2\n");

        var response = await PostMediaAsync(
            "receivers=wrkMediaFileChat;wrkMediaFileChat2&receiverType=group&mediaType=file&mediaName=" + Uri.EscapeDataString("构建日志.txt") + "&robot=ops",
            bytes,
            "构建日志.txt");

        await AssertSentAsync(response);
        var upload = Assert.Single(fixture.Providers.Uploads, u => u.Content.AsSpan().SequenceEqual(bytes));
        Assert.Equal(("file", "media", "构建日志.txt", (long?)bytes.Length), (upload.Type, upload.PartName, upload.FileName, upload.FileLength));
        Assert.Equal(HttpProviderCredentials.OtherRobotKey, fixture.Providers.Requests.Single(r => r.Sequence == upload.Sequence).Query["key"]);
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook), r => (string?)r.Json["chatid"] == "wrkMediaFileChat|wrkMediaFileChat2");
        Assert.Equal("file", (string?)send.Json["msgtype"]);
        Assert.Equal(upload.MediaId, (string?)send.Json["file"]!["media_id"]);
        Assert.Equal(HttpProviderCredentials.OtherRobotKey, send.Query["key"]);
        Assert.True(upload.Sequence < send.Sequence);
    }

    [Fact]
    public async Task Voice_UploadAnswersErrcode_EndsFailedWithThatErrorAndNothingSent()
    {
        var amr = "#!AMR\n"u8.ToArray().Concat(new byte[32]).ToArray();
        fixture.Providers.InjectFault(HttpProviderPaths.RobotUpload, ProviderFault.Error(40006, "invalid media size"));

        var response = await PostMediaAsync("receivers=wrkMediaVoiceChat&receiverType=single&mediaType=voice&mediaName=alert.amr", amr, "alert.amr");

        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        var record = await Host.WaitForFinalAsync(response.Body.GetProperty("messageId").GetString()!);
        Assert.Equal(MessageStatus.Failed, record.Status);
        Assert.Contains("WeCom robot upload_media: invalid media size", record.LastError);
        Assert.Contains("40006", record.LastError);
        Assert.DoesNotContain(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook), r => (string?)r.Json["chatid"] == "wrkMediaVoiceChat");
        Assert.All(HttpProviderCredentials.Secrets, secret => Assert.DoesNotContain(secret, record.LastError, StringComparison.Ordinal));
        Assert.False(record.Message.Media!.HasContent());
    }

    [Fact]
    public async Task SameFileResubmittedWithItsIdempotencyKeyAfterItIsFinal_ReplaysTheFirstMessage()
    {
        const string query = "receivers=wrkMediaReplayChat&receiverType=group&mediaType=image&mediaName=replay.png";
        var key = "media-replay-" + Guid.NewGuid().ToString("N");
        var first = await PostMediaAsync(query, Png, "replay.png", key);
        await AssertSentAsync(first);

        var again = await PostMediaAsync(query, Png, "replay.png", key);
        var other = await PostMediaAsync(query, [.. Png, 0x00], "replay.png", key);

        Assert.True(again.StatusCode == HttpStatusCode.OK, again.ToString());
        Assert.True(again.Body.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.Body.GetProperty("messageId").GetString(), again.Body.GetProperty("messageId").GetString());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook), r => (string?)r.Json["chatid"] == "wrkMediaReplayChat");
    }

    [Theory]
    [InlineData("receivers=c&receiverType=group&mediaType=video&mediaName=a.mp4", "mediaType", "WeCom group robots have no video message")]
    [InlineData("receivers=c&receiverType=group&mediaType=gif&mediaName=a.gif", "mediaType", "must be image, file or voice (got 'gif')")]
    [InlineData("receivers=c&receiverType=group&mediaType=file&mediaName=..%2Fetc%2Fpasswd", "mediaName", "must be a file name, not a path")]
    [InlineData("receivers=c&receiverType=group&mediaType=file&mediaName=a%0Ab.txt", "mediaName", "must not contain control characters")]
    [InlineData("receivers=c&receiverType=group&mediaType=voice&mediaName=a.amr", "file", "is not an AMR file")]
    [InlineData("receivers=c&receiverType=group&mediaType=image&mediaName=a.png", "file", "is not a PNG or JPEG image")]
    public async Task BadMedia_Returns400NamingTheField(string query, string field, string reason)
    {
        var response = await PostMediaAsync(query, "not an image nor amr"u8.ToArray(), "a");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    [Fact]
    public async Task EmptyFile_Returns400NamingTheFilePart()
    {
        var response = await PostMediaAsync("receivers=c&receiverType=group&mediaType=file&mediaName=a.txt", [], "a.txt");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["file"], response.ErrorFields);
        Assert.Contains("is empty", response.Message);
    }

    [Fact]
    public async Task FileOverTwoMebibytes_Returns400WithTheLimit()
    {
        var response = await PostMediaAsync("receivers=c&receiverType=group&mediaType=file&mediaName=big.bin", new byte[WeworkMedia.MaxBytes + 1], "big.bin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["file"], response.ErrorFields);
        Assert.Contains($"is {WeworkMedia.MaxBytes + 1} bytes; at most {WeworkMedia.MaxBytes} (2 MiB)", response.Message);
    }

    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>As BK-CI's client sends it: the query on the URL, one part <c>file</c> of application/octet-stream.</summary>
    private async Task<RestResponse> PostMediaAsync(string query, byte[] bytes, string fileName, string? idempotencyKey = null)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { part, "file", fileName } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/notifies/wework/media?" + query) { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Host.Http.SendRestAsync(request);
    }

    private async Task<MessageRecord> AssertSentAsync(RestResponse response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        Assert.Equal((0, null, true), (response.Status, response.Message, response.Data.GetBoolean()));
        var messageId = response.Body.GetProperty("messageId").GetString()!;
        var record = await Host.WaitForFinalAsync(messageId);
        Assert.True(record.Status == MessageStatus.Sent, $"{messageId} is {record.Status}: {record.LastError}; {string.Join("; ", record.Receivers.Select(r => $"{r.Receiver} {r.Status} {r.Detail}"))}");
        return record;
    }
}
