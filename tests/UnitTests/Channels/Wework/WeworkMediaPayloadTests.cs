using System.Security.Cryptography;
using System.Text;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Wework;
using Xunit;
using static Notify.UnitTests.Channels.Http.PayloadJson;

namespace Notify.UnitTests.Channels.Wework;

/// <summary>The robot requests of a media message: an image inline, a file or voice by the media id of its upload.</summary>
public sealed class WeworkMediaPayloadTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

    private static NotifyMessage Message(WeworkMedia media) => new() { Channel = NotifyChannel.Wework, Receivers = ["c1"], Media = media };

    [Fact]
    public void Build_Image_OneRequestWithBase64AndMd5OfTheBytes()
    {
        var media = WeworkMedia.Create(WeworkMediaKind.Image, "chart.png", Png);

        var request = Assert.Single(WeworkPayload.Build(Message(media), ["c1", "c2"]));

        AssertSerializesTo(
            $$$"""{"chatid":"c1|c2","msgtype":"image","image":{"base64":"{{{Convert.ToBase64String(Png)}}}","md5":"{{{Convert.ToHexStringLower(MD5.HashData(Png))}}}"}}""",
            request);
    }

    public static TheoryData<WeworkMediaKind, string> Uploaded => new()
    {
        { WeworkMediaKind.File, """{"chatid":"c1","msgtype":"file","file":{"media_id":"m-1"}}""" },
        { WeworkMediaKind.Voice, """{"chatid":"c1","msgtype":"voice","voice":{"media_id":"m-1"}}""" },
    };

    [Theory]
    [MemberData(nameof(Uploaded))]
    public void Media_FileOrVoice_SentByTheUploadsMediaId(WeworkMediaKind kind, string expected) =>
        AssertSerializesTo(expected, WeworkPayload.Media("c1", WeworkMedia.Create(kind, "a.bin", "#!AMR\n.."u8.ToArray()), "m-1"));

    [Fact]
    public void Media_FileWithoutMediaId_Throws() =>
        Assert.Throws<ArgumentException>(() => WeworkPayload.Media("c1", WeworkMedia.Create(WeworkMediaKind.File, "a.txt", "abcdef"u8.ToArray()), null));

    [Fact]
    public void Build_File_OutboxNamesTheUploadItDidNotMake()
    {
        var media = WeworkMedia.Create(WeworkMediaKind.File, "a.txt", "abcdef"u8.ToArray());

        var request = Assert.Single(WeworkPayload.Build(Message(media), ["c1"]));

        Assert.Equal("not-uploaded:" + media.Md5, request.File!.MediaId);
    }

    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", WeworkMediaKind.File, "https://qyapi.weixin.qq.com/cgi-bin/webhook/upload_media?key=k%2B1&type=file")]
    [InlineData("http://127.0.0.1:8080/cgi-bin/webhook/send", WeworkMediaKind.Voice, "http://127.0.0.1:8080/cgi-bin/webhook/upload_media?key=k%2B1&type=voice")]
    public void UploadUri_BesideTheWebhook_KeyEscaped(string webhook, WeworkMediaKind kind, string expected) =>
        Assert.Equal(expected, WeworkUpload.UriFor(webhook, "k+1", kind).AbsoluteUri);

    [Fact]
    public async Task UploadContent_OnePartNamedMediaWithUtf8FileNameAndLength()
    {
        var bytes = "构建日志\n"u8.ToArray();
        using var content = WeworkUpload.Content(WeworkMedia.Create(WeworkMediaKind.File, "构建日志.txt", bytes));

        var body = Encoding.UTF8.GetString(await content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        Assert.Equal("multipart/form-data", content.Headers.ContentType!.MediaType);
        Assert.Contains($"Content-Disposition: form-data; name=\"media\"; filename=\"构建日志.txt\"; filelength={bytes.Length}", body);
        Assert.Contains("Content-Type: application/octet-stream", body);
        Assert.Contains("构建日志\n", body);
    }
}
