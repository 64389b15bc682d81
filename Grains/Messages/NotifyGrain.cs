using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Wework;
using Notify.Grains.Records;
using Notify.Grains.Telemetry;
using Orleans.Concurrency;

namespace Notify.Grains.Messages;

/// <summary>
/// Where every send enters the cluster (stateless, local to the caller's silo): validates, assigns a message id whose
/// grain lives on this silo (<see cref="LocalMessageIds"/>) and hands the message to its <see cref="MessageGrain"/>,
/// which answers once the message is durably recorded. A call that fails because a silo it reached has died (an
/// idempotency key held there, before the cluster has declared it dead) is retried with the same message id, which
/// makes the retry safe: the message grain answers a second accept of one id as a replay.
/// </summary>
[StatelessWorker]
public sealed partial class NotifyGrain(LocalMessageIds ids, WeworkRobots robots, TimeProvider time, ILogger<NotifyGrain> logger) : Grain, INotifyGrain
{
    public const int MaxRequestIdLength = 128;

    /// <summary>
    /// How long a submit is retried while the cluster declares a dead silo dead: below Orleans' 30 s call timeout, so
    /// the caller hears the outcome rather than a timeout (a caller with a shorter deadline stops waiting first).
    /// </summary>
    public static readonly TimeSpan SiloLossRetryBudget = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    public async Task<SubmitResult> SubmitAsync(NotifyMessage message, string? requestId = null)
    {
        var valid = NotifyMessageValidator.EnsureValid(message);
        robots.EnsureKnown(valid);
        EnsureValidRequestId(requestId);
        using var activity = NotifyMetrics.ActivitySource.StartActivity("notify.accept");
        activity?.SetTag("notify.channel", valid.Channel.Name());
        var result = await AcceptWithRetriesAsync(valid, requestId);
        activity?.SetTag("notify.message_id", result.MessageId);
        return result;
    }

    public async Task<IReadOnlyList<BatchSubmitResult>> SubmitBatchAsync(IReadOnlyList<BatchSubmitEntry> entries)
    {
        // An Orleans client can pass null; the gateway never does.
        entries ??= [];
        NotifyMessageValidator.EnsureValidBatchSize(entries.Count);
        using var activity = NotifyMetrics.ActivitySource.StartActivity("notify.accept_batch");
        activity?.SetTag("notify.batch_size", entries.Count);

        // All at once: the message grains' record writes then meet in the store's group commit, one statement per batch.
        return await Task.WhenAll(entries.Select(SubmitEntryAsync));
    }

    private async Task<BatchSubmitResult> SubmitEntryAsync(BatchSubmitEntry? entry)
    {
        if (entry?.Message is null)
        {
            return BatchSubmitResult.Refused(NotifyRequestException.Invalid("message", "is required"));
        }

        try
        {
            var valid = NotifyMessageValidator.EnsureValid(entry.Message);
            robots.EnsureKnown(valid);
            EnsureValidRequestId(entry.RequestId);
            return BatchSubmitResult.Ok(await AcceptWithRetriesAsync(valid, entry.RequestId));
        }
        catch (NotifyRequestException exception)
        {
            return BatchSubmitResult.Refused(exception);
        }
        catch (RecordStoreUnavailableException exception)
        {
            return BatchSubmitResult.Refused(new NotifyRequestException(RequestErrorKind.Unavailable, "store", $"the database is unavailable, so the message was not stored ({exception.Message}); try again"));
        }
        catch (Exception exception)
        {
            // One entry's failure must not hide what became of the others; this one's outcome is unknown.
            LogEntryFailed(exception, entry.Message.Channel);
            return BatchSubmitResult.Refused(new NotifyRequestException(RequestErrorKind.Unavailable, "cluster",
                $"did not complete ({exception.GetType().Name}); it may or may not have been accepted: retry it with a requestId to be sure it is sent once"));
        }
    }

    private static void EnsureValidRequestId(string? requestId)
    {
        if (requestId is not null && (requestId.Length is 0 or > MaxRequestIdLength || requestId.Any(char.IsControl)))
        {
            throw NotifyRequestException.Invalid("requestId", $"must be 1-{MaxRequestIdLength} printable characters");
        }
    }

    private async Task<SubmitResult> AcceptWithRetriesAsync(NotifyMessage valid, string? requestId)
    {
        var generatedId = ids.Next();
        var giveUpAt = time.GetUtcNow() + SiloLossRetryBudget;
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await AcceptAsync(valid, requestId, generatedId);

                // A replay of the id this call generated can only be this call's own earlier try.
                return attempt > 1 && result.MessageId == generatedId ? result with { Replayed = false } : result;
            }
            catch (OrleansMessageRejectionException exception) when (time.GetUtcNow() + delay < giveUpAt)
            {
                LogSiloLost(exception, generatedId, attempt, delay);
                await Task.Delay(delay, time);
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
        }
    }

    private async Task<SubmitResult> AcceptAsync(NotifyMessage message, string? requestId, string generatedId)
    {
        var messageId = generatedId;
        if (requestId is not null)
        {
            // A retried submit maps to the message of the first one, which then answers as a replay.
            var key = GrainFactory.GetGrain<IIdempotencyKeyGrain>(IdempotencyKeyGrain.Key(message.Source, requestId));
            messageId = await key.ClaimAsync(IdempotencyKeyGrain.BodyHash(message), generatedId);
        }

        return await GrainFactory.GetGrain<IMessageGrain>(messageId).AcceptAsync(message, requestId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Submit of {MessageId}: a silo it reached is gone (try {Attempt}); trying again in {Delay}")]
    private partial void LogSiloLost(Exception exception, string messageId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch entry for {Channel} failed; its outcome is reported to the caller as unknown")]
    private partial void LogEntryFailed(Exception exception, NotifyChannel channel);
}
