using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Operations;

/// <summary><c>POST /op/notify/messages/{id}/retry</c>: <c>{}</c> for every failed receiver, or <c>{"receiver":"bob@x"}</c>.</summary>
public sealed class RetryMessageBody : RestBody
{
    public string? Receiver { get; init; }

    public string? Note { get; init; }
}

/// <summary><c>POST /op/notify/messages/{id}/cancel</c>: <c>{}</c> or <c>{"note":"wrong audience"}</c>.</summary>
public sealed class CancelMessageBody : RestBody
{
    public string? Note { get; init; }
}
