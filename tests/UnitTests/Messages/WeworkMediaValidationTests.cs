using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;
using Notify.Grains.Messages;
using Orleans.Serialization;

namespace Notify.UnitTests.Messages;

/// <summary>A robot message carrying a file: what the validator refuses, the body it gets, and what a final record keeps.</summary>
public sealed class WeworkMediaValidationTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00];
    private static readonly byte[] Jpeg = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];
    private static readonly byte[] Amr = "#!AMR\n\u0000\u0000"u8.ToArray();
    private static readonly byte[] Text = "build log\n"u8.ToArray();

    private static NotifyMessage Media(WeworkMediaKind kind, string name, byte[] content) => new()
    {
        Channel = NotifyChannel.Wework,
        Receivers = ["chat1"],
        Media = WeworkMedia.Create(kind, name, content),
    };

    private static string Errors(NotifyMessage message) =>
        string.Join(" | ", NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(message)));

    public static TheoryData<WeworkMediaKind, string, byte[]> Valid => new()
    {
        { WeworkMediaKind.Image, "chart.png", Png },
        { WeworkMediaKind.Image, "photo.jpg", Jpeg },
        { WeworkMediaKind.Voice, "alert.amr", Amr },
        { WeworkMediaKind.File, "构建日志.txt", Text },
        { WeworkMediaKind.File, "exactly-the-limit.bin", new byte[WeworkMedia.MaxBytes] },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Validate_SendableMedia_HasNoErrors(WeworkMediaKind kind, string name, byte[] content) =>
        Assert.Equal("", Errors(Media(kind, name, content)));

    public static TheoryData<string, Func<NotifyMessage>, string> Invalid => new()
    {
        // field expected in the error, the message, and a fragment of the reason
        { "media.content", () => Media(WeworkMediaKind.File, "a.txt", []), "is empty" },
        { "media.content", () => Media(WeworkMediaKind.File, "big.bin", new byte[WeworkMedia.MaxBytes + 1]), $"is {WeworkMedia.MaxBytes + 1} bytes; at most {WeworkMedia.MaxBytes} (2 MiB)" },
        { "media.content", () => Media(WeworkMediaKind.File, "tiny.txt", "12345"u8.ToArray()), "WeCom refuses uploads of 5 bytes or fewer" },
        { "media.content", () => Media(WeworkMediaKind.Image, "chart.gif", "GIF89a.."u8.ToArray()), "not a PNG or JPEG image" },
        { "media.content", () => Media(WeworkMediaKind.Voice, "alert.mp3", Text), "not an AMR file" },
        { "media.content", () => Media(WeworkMediaKind.File, "a.txt", Text) with { Media = WeworkMedia.Create(WeworkMediaKind.File, "a.txt", Text) with { Md5 = "0" } }, "length or md5 does not match" },
        { "media.kind", () => Media(WeworkMediaKind.File, "a.txt", Text) with { Media = WeworkMedia.Create((WeworkMediaKind)7, "a.txt", Text) }, "must be image, file or voice (got 7)" },
        { "media.fileName", () => Media(WeworkMediaKind.File, " ", Text), "is required" },
        { "media.fileName", () => Media(WeworkMediaKind.File, "../etc/passwd", Text), "not a path" },
        { "media.fileName", () => Media(WeworkMediaKind.File, "C:\\report.txt", Text), "not a path" },
        { "media.fileName", () => Media(WeworkMediaKind.File, "a\r\nb.txt", Text), "control characters" },
        { "media.fileName", () => Media(WeworkMediaKind.File, "say \"hi\".txt", Text), "must not contain \"" },
        { "media.fileName", () => Media(WeworkMediaKind.File, "..", Text), "not . or .." },
        { "media.fileName", () => Media(WeworkMediaKind.File, new string('n', WeworkMedia.MaxFileNameLength + 1), Text), "at most 255" },
        { "textType", () => Media(WeworkMediaKind.Image, "chart.png", Png) with { TextType = RobotTextType.Markdown }, "a media message has no text type" },
        { "mentionedList", () => Media(WeworkMediaKind.Image, "chart.png", Png) with { MentionedList = ["alice"] }, "cannot mention anyone" },
        { "mentionedMobileList", () => Media(WeworkMediaKind.File, "a.txt", Text) with { MentionedMobileList = ["13800138000"] }, "cannot mention anyone" },
        { "media", () => new NotifyMessage { Channel = NotifyChannel.Rtx, Receivers = ["alice"], Title = "t", Body = "b", Media = WeworkMedia.Create(WeworkMediaKind.File, "a.txt", Text) }, "is not used by rtx messages" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_UnsendableMedia_NamesTheFieldAndWhy(string field, Func<NotifyMessage> message, string reason)
    {
        var error = Assert.Single(NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(message())));

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Trim_MediaMessage_BodyIsTheDescription()
    {
        var message = NotifyMessageValidator.Trim(Media(WeworkMediaKind.File, "构建日志.txt", Text) with { Body = "whatever the caller wrote" });

        Assert.Equal($"[file] 构建日志.txt (10 bytes, md5 {message.Media!.Md5})", message.Body);
    }

    [Fact]
    public void ContentHash_TwoFilesWithOneName_Differ()
    {
        var first = NotifyMessageValidator.Trim(Media(WeworkMediaKind.File, "report.txt", Text));
        var second = NotifyMessageValidator.Trim(Media(WeworkMediaKind.File, "report.txt", "other log\n"u8.ToArray()));

        Assert.NotEqual(ContentHash.Compute(first), ContentHash.Compute(second));
    }

    [Fact]
    public void Equality_ByKindNameLengthAndMd5_SoAResubmitEqualsAStrippedRecord()
    {
        var sent = Media(WeworkMediaKind.File, "a.txt", Text);
        var resubmitted = Media(WeworkMediaKind.File, "a.txt", [.. Text]);

        Assert.Equal(sent.Media, resubmitted.Media);
        Assert.Equal(sent.Media, sent.WithoutMediaContent().Media);
        Assert.False(sent.WithoutMediaContent().Media!.HasContent());
        Assert.NotEqual(sent.Media, WeworkMedia.Create(WeworkMediaKind.Voice, "a.txt", Text));
    }

    [Fact]
    public void OrleansSerializer_MediaMessage_RoundTripsWithItsBytes()
    {
        using var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(NotifyMessage).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var message = Media(WeworkMediaKind.Voice, "alert.amr", Amr) with { Robot = "ops" };

        var copy = serializer.Deserialize<NotifyMessage>(serializer.SerializeToArray(message))!;

        Assert.Equal(message.Media, copy.Media);
        Assert.Equal(Amr, copy.Media!.Content);
        Assert.Equal("ops", copy.Robot);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Planner_FinalMessage_DropsTheBytesAndKeepsWhatTheRecordShows(bool cancelled)
    {
        var options = new DeliveryOptions { MaxRetries = 2, AttemptLease = TimeSpan.FromMinutes(2) };
        var now = new DateTimeOffset(2026, 12, 4, 4, 0, 0, TimeSpan.Zero);
        var progress = new MessageProgress();
        var message = NotifyMessageValidator.Trim(Media(WeworkMediaKind.Image, "chart.png", Png));
        MessagePlanner.Accept(progress, "msg_1", message, requestId: null, options, now);
        MessagePlanner.Saved(progress);
        Assert.True(progress.Record!.Message.Media!.HasContent());

        if (cancelled)
        {
            MessagePlanner.Cancel(progress, "msg_1", new OperatorRequest("admin:ops"), now);
        }
        else
        {
            var receiver = progress.Record.Receivers[0];
            receiver.Attempts++;
            receiver.Status = ReceiverStatus.Sent;
            MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), options, now, jitter: 0.5);
        }

        var media = progress.Record.Message.Media!;
        Assert.True(progress.Record.Status.IsFinal());
        Assert.False(media.HasContent());
        Assert.Equal((WeworkMediaKind.Image, "chart.png", Png.Length, message.Media!.Md5), (media.Kind, media.FileName, media.Length, media.Md5));
        Assert.Equal(message.Body, progress.Record.Message.Body);
    }
}
