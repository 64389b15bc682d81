using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;

namespace Notify.Client;

/// <summary>
/// Operator actions over Orleans. A cluster client carries no key, so the record names the operator
/// <see cref="OperatorName"/>: <c>client:</c> and the operating-system user running it.
/// </summary>
public sealed partial class NotifyClient
{
    public static string OperatorName => "client:" + Environment.UserName;

    public Task<MessageRecord> RetryMessageAsync(string messageId, string? receiver = null, string? note = null)
    {
        var request = new OperatorRequest(OperatorName, receiver, note);
        return Message(messageId, request).RetryAsync(request);
    }

    public Task<MessageRecord> CancelMessageAsync(string messageId, string? note = null)
    {
        var request = new OperatorRequest(OperatorName, null, note);
        return Message(messageId, request).CancelAsync(request);
    }

    // Checked here first, as sends are, so a bad request never reaches the cluster.
    private IMessageGrain Message(string messageId, OperatorRequest request)
    {
        var errors = request.Validate(messageId);
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : cluster.GetGrain<IMessageGrain>(messageId);
    }
}
