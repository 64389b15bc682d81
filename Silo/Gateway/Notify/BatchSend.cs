using System.Text.Json;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Notify;

/// <summary>
/// One entry of a batch as the surface read it: a message to submit, or why it cannot be (field names already carry
/// the entry's place, <c>messages[3].receivers</c>, and <see cref="Status"/> is the HTTP status a single send would get).
/// </summary>
public sealed record BatchEntryInput(NotifyMessage? Message, string? RequestId, int Status, IReadOnlyList<FieldError> Errors)
{
    public static BatchEntryInput Ready(NotifyMessage message, string? requestId) => new(message, requestId, 0, []);

    public static BatchEntryInput Refused(int status, IReadOnlyList<FieldError> errors) => new(null, null, status, errors);
}

/// <summary>One result of a batch, in the order of the request: the message id, or the status and the reasons.</summary>
public sealed record BatchEntryView(int Index, string? MessageId, bool Replayed, int Status, IReadOnlyList<FieldError> Errors);

/// <summary>The answer to a batch: how many entries were accepted and refused, and one result per entry.</summary>
public sealed record BatchView(int Accepted, int Refused, IReadOnlyList<BatchEntryView> Results);

/// <summary>
/// <c>POST /service/notify/batch</c>: <c>{"messages": [{"channel": "email", …the e-mail send body…}, …]}</c>, each
/// entry the body of its channel's send path plus <c>channel</c>. Entries are read and refused one by one, so one
/// bad entry never refuses the others; only a body that is not such a list is refused as a whole.
/// </summary>
public static class BatchSendReader
{
    public static async Task<IReadOnlyList<BatchEntryInput>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await RestBodyReader.ParseAsync(request, cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw NotifyRequestException.Invalid("body", "must be a JSON object");
        }

        var unknown = root.EnumerateObject().Where(p => p.Name != "messages").Select(p => new FieldError(p.Name, $"unknown field '{p.Name}'")).ToArray();
        if (unknown.Length > 0)
        {
            throw NotifyRequestException.Invalid(unknown);
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw NotifyRequestException.Invalid("messages", "is required: an array of send bodies, each with its channel");
        }

        NotifyMessageValidator.EnsureValidBatchSize(messages.GetArrayLength());
        return messages.EnumerateArray().Select((entry, index) => ReadEntry(entry, $"messages[{index}]")).ToArray();
    }

    private static BatchEntryInput ReadEntry(JsonElement entry, string name)
    {
        try
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw NotifyRequestException.Invalid("", "must be a JSON object");
            }

            if (!entry.TryGetProperty("channel", out var channelValue) || channelValue.ValueKind != JsonValueKind.String)
            {
                throw NotifyRequestException.Invalid("channel", $"is required: one of {string.Join(", ", NotifyChannels.All.Select(c => c.Name()))}");
            }

            var channelName = channelValue.GetString()!;
            if (!NotifyChannels.TryParse(channelName, out var channel))
            {
                throw NotifyRequestException.Invalid("channel", $"must be one of {string.Join(", ", NotifyChannels.All.Select(c => c.Name()))} (got '{channelName}')");
            }

            var (message, requestId) = channel switch
            {
                NotifyChannel.Email => Read<EmailSendBody>(entry, SendBodyMapper.ToMessage),
                NotifyChannel.Rtx => Read<RtxSendBody>(entry, SendBodyMapper.ToMessage),
                NotifyChannel.Wechat => Read<WechatSendBody>(entry, SendBodyMapper.ToMessage),
                NotifyChannel.Sms => Read<SmsSendBody>(entry, SendBodyMapper.ToMessage),
                NotifyChannel.Voice => Read<VoiceSendBody>(entry, SendBodyMapper.ToMessage),
                NotifyChannel.Wework => Read<WeworkSendBody>(entry, SendBodyMapper.ToMessage),
                _ => throw new ArgumentOutOfRangeException(nameof(entry), channel, "a channel without a send body"),
            };
            return BatchEntryInput.Ready(message, requestId);
        }
        catch (NotifyRequestException exception)
        {
            return BatchEntryInput.Refused(GatewayErrors.HttpStatus(exception.Kind), BatchSubmission.Prefixed(name, exception.Errors));
        }
    }

    private static (NotifyMessage Message, string? RequestId) Read<TBody>(JsonElement entry, Func<TBody, NotifyMessage> toMessage) where TBody : SendBody
    {
        var body = RestBodyReader.BindTolerant<TBody>(entry, "");
        body.UnknownFields?.Remove("channel");
        RestBodyReader.RefuseUnknownFields(body);
        return (toMessage(body), body.RequestId);
    }
}

/// <summary>Submits a read batch and answers one result per entry, for both surfaces.</summary>
public static class BatchSubmission
{
    /// <summary><c>receivers</c> of entry 3 → <c>messages[3].receivers</c>; a reason about the entry itself keeps the entry's name.</summary>
    public static IReadOnlyList<FieldError> Prefixed(string name, IReadOnlyList<FieldError> errors) =>
        errors.Select(e => e with { Field = e.Field.Length == 0 ? name : $"{name}.{e.Field}" }).ToArray();

    /// <summary>
    /// Binds each ready entry to the caller's source (a foreign source refuses that entry, 403), submits the ready ones
    /// in one grain call and merges the answers with the refusals, in request order.
    /// </summary>
    public static async Task<BatchView> SubmitAsync(IReadOnlyList<BatchEntryInput> inputs, GatewayCaller caller, Func<IReadOnlyList<BatchSubmitEntry>, Task<IReadOnlyList<BatchSubmitResult>>> submit)
    {
        NotifyMessageValidator.EnsureValidBatchSize(inputs.Count);
        var views = new BatchEntryView?[inputs.Count];
        var ready = new List<(int Index, BatchSubmitEntry Entry)>(inputs.Count);
        for (var index = 0; index < inputs.Count; index++)
        {
            var input = inputs[index];
            if (input.Message is null)
            {
                views[index] = new BatchEntryView(index, null, false, input.Status, input.Errors);
                continue;
            }

            try
            {
                ready.Add((index, new BatchSubmitEntry(caller.Bind(input.Message), string.IsNullOrEmpty(input.RequestId) ? null : input.RequestId)));
            }
            catch (GatewayForbiddenException exception)
            {
                views[index] = new BatchEntryView(index, null, false, StatusCodes.Status403Forbidden, Prefixed($"messages[{index}]", [exception.Error]));
            }
        }

        if (ready.Count > 0)
        {
            var results = await submit(ready.Select(r => r.Entry).ToArray());
            for (var i = 0; i < ready.Count; i++)
            {
                var (index, _) = ready[i];
                var result = results[i];
                views[index] = result.Accepted is { } accepted
                    ? new BatchEntryView(index, accepted.MessageId, accepted.Replayed, StatusCodes.Status200OK, [])
                    : new BatchEntryView(index, null, false, GatewayErrors.HttpStatus(result.ErrorKind ?? RequestErrorKind.Invalid), Prefixed($"messages[{index}]", result.Errors));
            }
        }

        var all = views.Select(v => v!).ToArray();
        var acceptedCount = all.Count(v => v.MessageId is not null);
        return new BatchView(acceptedCount, all.Length - acceptedCount, all);
    }
}
