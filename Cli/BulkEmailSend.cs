using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Client.Cli;

/// <summary>What became of one line of a bulk file: its message, or why it was refused.</summary>
internal sealed record BulkLineResult(int Line, SubmitResult? Accepted, string? Error);

/// <summary>
/// <c>notify send email --file messages.jsonl</c>: one BK-CI e-mail body per line (the REST body's fields), sent
/// concurrently. A line without <c>requestId</c> gets one derived from its number and content, so running the same
/// file again after a failure replays what was accepted instead of sending it twice.
/// </summary>
internal static class BulkEmailSend
{
    private static readonly JsonSerializerOptions LineJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static async Task<IReadOnlyList<BulkLineResult>> RunAsync(
        INotifyClient client, IReadOnlyList<(int Number, string Text)> lines, SendOptions defaults, int parallel, Action lineDone, CancellationToken cancellationToken)
    {
        var results = new BulkLineResult[lines.Count];
        await Parallel.ForAsync(0, lines.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (index, _) =>
        {
            results[index] = await SendLineAsync(client, lines[index].Number, lines[index].Text, defaults);
            lineDone();
        });
        return results;
    }

    /// <summary>The lines that carry a message: blank lines are skipped, every other line counts (and is numbered as in the file).</summary>
    public static IReadOnlyList<(int Number, string Text)> ReadLines(string path) =>
        File.ReadLines(path).Select((text, index) => (Number: index + 1, Text: text)).Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToArray();

    private static async Task<BulkLineResult> SendLineAsync(INotifyClient client, int number, string text, SendOptions defaults)
    {
        EmailLine line;
        try
        {
            line = JsonSerializer.Deserialize<EmailLine>(text, LineJson) ?? throw new JsonException("the line is null");
        }
        catch (JsonException exception)
        {
            return new BulkLineResult(number, null, $"not a JSON e-mail body: {exception.Message}");
        }

        var message = defaults.Apply(new NotifyMessage { Channel = NotifyChannel.Email }) with
        {
            Receivers = line.Receivers ?? [],
            Cc = line.Cc ?? [],
            Bcc = line.Bcc ?? [],
            Title = line.Title ?? "",
            Body = line.Body ?? "",
            Format = line.Format?.ToUpperInvariant() switch
            {
                null or "TEXT" => EmailFormat.Text,
                "HTML" => EmailFormat.Html,
                _ => (EmailFormat)(-1),
            },
        };
        message = message with
        {
            Source = line.Source ?? message.Source,
            Sender = line.Sender ?? message.Sender,
            Priority = line.Priority is { } wire ? NotifyPriorities.TryFromWire(wire, out var priority) ? priority : (NotifyPriority)wire : message.Priority,
            FrequencyLimitMinutes = line.FrequencyLimit ?? message.FrequencyLimitMinutes,
            DelaySeconds = line.DelaySeconds ?? message.DelaySeconds,
        };

        try
        {
            return new BulkLineResult(number, await client.SendAsync(message, line.RequestId ?? DerivedRequestId(number, text)), null);
        }
        catch (NotifyRequestException exception)
        {
            return new BulkLineResult(number, null, exception.Message);
        }
    }

    private static string DerivedRequestId(int number, string text) =>
        $"bulk-{number}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}";

    /// <summary>The REST e-mail body's fields (BK-CI's EmailNotifyMessage); any other field is refused.</summary>
    private sealed record EmailLine(
        IReadOnlyList<string>? Receivers,
        IReadOnlyList<string>? Cc,
        IReadOnlyList<string>? Bcc,
        string? Title,
        string? Body,
        string? Format,
        string? Source,
        string? Sender,
        int? Priority,
        int? FrequencyLimit,
        int? DelaySeconds,
        string? RequestId);
}
