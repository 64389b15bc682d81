using System.Security.Cryptography;

namespace Notify.Grains.Abstractions.Messages;

/// <summary>What a WeCom group robot shows a media message as (its <c>msgtype</c>).</summary>
[GenerateSerializer, Alias("notify.WeworkMediaKind")]
public enum WeworkMediaKind
{
    /// <summary>Sent inline (base64 and MD5 in the message); JPG or PNG.</summary>
    Image = 0,

    /// <summary>Uploaded first (<c>upload_media?type=file</c>), then sent by its <c>media_id</c>.</summary>
    File = 1,

    /// <summary>Uploaded first (<c>upload_media?type=voice</c>); AMR only, as WeCom requires.</summary>
    Voice = 2,
}

/// <summary>
/// A robot message's file: carried inside the accepted message, so that a message once accepted has what it needs to
/// be sent whatever becomes of the silo that took it. <see cref="Content"/> is emptied once the message is final (the
/// record keeps the name, kind, length and MD5); two media with the same name, kind, length and MD5 are equal, so a
/// resubmit compares equal to a final record whose bytes are gone.
/// </summary>
/// <remarks>
/// At most <see cref="MaxBytes"/> (2 MiB) of any kind: WeCom takes images and voice up to 2 MB, and files up to 20 MB,
/// but the bytes travel in the message's durable record (written at each transition) and in grain calls, and a cap of
/// 2 MiB keeps every such write bounded. Larger files belong in a link in a text message.
/// </remarks>
[GenerateSerializer, Immutable, Alias("notify.WeworkMedia")]
public sealed record WeworkMedia
{
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>WeCom refuses an upload of 5 bytes or fewer.</summary>
    public const int MinUploadBytes = 6;

    public const int MaxFileNameLength = 255;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    private static readonly byte[] JpegSignature = [0xff, 0xd8, 0xff];
    private static readonly byte[] AmrSignature = "#!AMR"u8.ToArray();

    [Id(0)] public required WeworkMediaKind Kind { get; init; }

    /// <summary>The name the chat shows (the upload's <c>filename</c>).</summary>
    [Id(1)] public required string FileName { get; init; }

    /// <summary>
    /// The file itself; empty once the message is final. Read through <see cref="HasContent"/>: a record read back
    /// without it (a list leaves it behind) may hold null here.
    /// </summary>
    [Id(2)] public byte[] Content { get; init; } = [];

    /// <summary>The file's length in bytes, kept when <see cref="Content"/> is dropped.</summary>
    [Id(3)] public int Length { get; init; }

    /// <summary>MD5 of the file, lower-case hex (WeCom's image <c>md5</c>), kept when <see cref="Content"/> is dropped.</summary>
    [Id(4)] public string Md5 { get; init; } = "";

    public static WeworkMedia Create(WeworkMediaKind kind, string fileName, byte[] content) => new()
    {
        Kind = kind,
        FileName = fileName,
        Content = content,
        Length = content.Length,
        Md5 = Convert.ToHexStringLower(MD5.HashData(content)),
    };

    /// <summary>Whether the bytes are still here (they are dropped when the message becomes final).</summary>
    public bool HasContent() => Content is { Length: > 0 };

    public WeworkMedia WithoutContent() => HasContent() ? this with { Content = [] } : this;

    /// <summary>The message body of a media message: what the record shows, and what the frequency limit hashes.</summary>
    public string Describe() => $"[{WireName(Kind)}] {NotifyMessageValidator.Printable(FileName)} ({Length} bytes, md5 {Md5})";

    public static string WireName(WeworkMediaKind kind) => kind switch
    {
        WeworkMediaKind.Image => "image",
        WeworkMediaKind.File => "file",
        WeworkMediaKind.Voice => "voice",
        _ => ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Adds to <paramref name="errors"/> why this media cannot be sent, naming the caller's fields (the gateway's
    /// <c>mediaType</c>/<c>mediaName</c>/<c>file</c>, the contract's <c>media.kind</c>/… ).
    /// </summary>
    public void Check(List<FieldError> errors, string kindField, string nameField, string contentField)
    {
        var content = Content ?? [];
        CheckFileName(errors, nameField, FileName);
        if (!Enum.IsDefined(Kind))
        {
            errors.Add(new FieldError(kindField, $"must be image, file or voice (got {(int)Kind})"));
            return;
        }

        if (content.Length == 0)
        {
            errors.Add(new FieldError(contentField, "is empty: a media message needs the file's bytes"));
            return;
        }

        if (content.Length > MaxBytes)
        {
            errors.Add(new FieldError(contentField, $"is {content.Length} bytes; at most {MaxBytes} (2 MiB) are accepted"));
            return;
        }

        if (Length != content.Length || Md5 != Convert.ToHexStringLower(MD5.HashData(content)))
        {
            errors.Add(new FieldError(contentField, "length or md5 does not match the bytes (build it with WeworkMedia.Create)"));
            return;
        }

        var reason = Kind switch
        {
            WeworkMediaKind.Image when !content.AsSpan().StartsWith(PngSignature) && !content.AsSpan().StartsWith(JpegSignature) =>
                "is not a PNG or JPEG image: WeCom robots send only those inline",
            WeworkMediaKind.Voice when !content.AsSpan().StartsWith(AmrSignature) =>
                "is not an AMR file (it does not start with #!AMR): WeCom robots send voice in AMR only",
            WeworkMediaKind.File or WeworkMediaKind.Voice when content.Length < MinUploadBytes =>
                $"is {content.Length} bytes; WeCom refuses uploads of {MinUploadBytes - 1} bytes or fewer",
            _ => null,
        };
        if (reason is not null)
        {
            errors.Add(new FieldError(contentField, reason));
        }
    }

    /// <summary>The name goes into a multipart header and the chat: one plain file name, no path, nothing unprintable.</summary>
    public static void CheckFileName(List<FieldError> errors, string field, string? fileName)
    {
        var reason = string.IsNullOrWhiteSpace(fileName) ? "is required: the name the chat shows"
            : fileName.Length > MaxFileNameLength ? $"is {fileName.Length} characters; at most {MaxFileNameLength} are allowed"
            : fileName.Any(char.IsControl) ? "must not contain control characters (CR, LF, tab…)"
            : fileName.IndexOfAny(['/', '\\']) >= 0 ? "must be a file name, not a path (no / or \\)"
            : fileName.Contains('"') ? "must not contain \" (it ends the name in the upload's header)"
            : fileName.Trim() is "." or ".." ? "must be a file name, not . or .."
            : null;
        if (reason is not null)
        {
            errors.Add(new FieldError(field, fileName is null ? reason : $"'{NotifyMessageValidator.Printable(fileName)}' {reason}"));
        }
    }

    public bool Equals(WeworkMedia? other) =>
        other is not null && Kind == other.Kind && FileName == other.FileName && Length == other.Length && Md5 == other.Md5;

    public override int GetHashCode() => HashCode.Combine(Kind, FileName, Length, Md5);
}

public static class WeworkMediaMessages
{
    /// <summary>The message without its file's bytes (a final message keeps only what the record shows).</summary>
    public static NotifyMessage WithoutMediaContent(this NotifyMessage message) =>
        message.Media is { } media && media.HasContent() ? message with { Media = media.WithoutContent() } : message;
}
