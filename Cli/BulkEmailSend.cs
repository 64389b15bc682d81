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
/// <c>notify send email --file messages.jsonl</c>: one BK-CI e-mail body per line (the REST body's fields), sent in
/// batches (<see cref="INotifyClient.SendBatchAsync"/>, <see cref="BatchSize"/> lines per call), several batches at a
/// time. A line without <c>requestId</c> gets one derived from its number and content, so running the same file again
/// after a failure replays what was accepted instead of sending it twice.
/// </summary>
internal static class BulkEmailSend
{
    /// <summary>Lines per batch call: large enough to amortise the call, small enough that progress moves.</summary>
    public const int BatchSize = 100;

    private static readonly JsonSerializerOptions LineJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static async Task<IReadOnlyList<BulkLineResult>> RunAsync(
        INotifyClient client, IReadOnlyList<(int Number, string Text)> lines, SendOptions defaults, int parallel, Action lineDone, CancellationToken cancellationToken)
    {
        var results = new BulkLineResult[lines.Count];
        var ready = new List<(int Index, BatchSubmitEntry Entry)>(lines.Count);
        for (var index = 0; index < lines.Count; index++)
        {
            var (number, text) = lines[index];
            if (TryReadLine(number, text, defaults, out var entry, out var error))
            {
                ready.Add((index, entry));
            }
            else
            {
                results[index] = new BulkLineResult(number, null, error);
                lineDone();
            }
        }

        var batches = ready.Chunk(BatchSize).ToArray();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (batch, _) =>
        {
            var answers = await SendBatchAsync(client, batch.Select(b => b.Entry).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                var index = batch[i].Index;
                results[index] = answers[i] is { Accepted: { } accepted }
                    ? new BulkLineResult(lines[index].Number, accepted, null)
                    : new BulkLineResult(lines[index].Number, null, string.Join("; ", answers[i].Errors));
                lineDone();
            }
        });
        return results;
    }

    /// <summary>The lines that carry a message: blank lines are skipped, every other line counts (and is numbered as in the file).</summary>
    public static IReadOnlyList<(int Number, string Text)> ReadLines(string path) =>
        File.ReadLines(path).Select((text, index) => (Number: index + 1, Text: text)).Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToArray();

    /// <summary>One call; if the call itself fails (the cluster unreachable), every line of the batch says so.</summary>
    private static async Task<IReadOnlyList<BatchSubmitResult>> SendBatchAsync(INotifyClient client, IReadOnlyList<BatchSubmitEntry> entries)
    {
        try
        {
            return await client.SendBatchAsync(entries);
        }
        catch (NotifyRequestException exception)
        {
            return entries.Select(_ => BatchSubmitResult.Refused(exception)).ToArray();
        }
    }

    private static bool TryReadLine(int number, string text, SendOptions defaults, out BatchSubmitEntry entry, out string error)
    {
        entry = null!;
        EmailLine line;
        try
        {
            line = JsonSerializer.Deserialize<EmailLine>(text, LineJson) ?? throw new JsonException("the line is null");
        }
        catch (JsonException exception)
        {
            error = $"not a JSON e-mail body: {exception.Message}";
            return false;
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

        entry = new BatchSubmitEntry(message, line.RequestId ?? DerivedRequestId(number, text));
        error = "";
        return true;
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
