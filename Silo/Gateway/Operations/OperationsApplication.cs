using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Operations;

/// <summary>
/// Operator actions on messages, behind REST, gRPC and the console: retry a failed message, cancel one not yet final.
/// The operator is the caller's key (<see cref="GatewayCaller.Id"/>), recorded with the action in the message's record.
/// </summary>
public sealed class OperationsApplication(IGrainFactory grains)
{
    public Task<MessageRecord> RetryAsync(string messageId, string? receiver, string? note, GatewayCaller caller)
    {
        var request = new OperatorRequest(caller.Id, Blank(receiver), Blank(note));
        return Message(messageId, request).RetryAsync(request);
    }

    public Task<MessageRecord> CancelAsync(string messageId, string? note, GatewayCaller caller)
    {
        var request = new OperatorRequest(caller.Id, null, Blank(note));
        return Message(messageId, request).CancelAsync(request);
    }

    // Refused here when invalid, so a bad id never activates a grain; the grain checks the same rules for library callers.
    private IMessageGrain Message(string messageId, OperatorRequest request)
    {
        var errors = request.Validate(messageId);
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : grains.GetGrain<IMessageGrain>(messageId);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
