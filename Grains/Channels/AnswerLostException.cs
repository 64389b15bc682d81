namespace Notify.Grains.Channels;

/// <summary>
/// A send failed after the provider had the whole message (SMTP: the final <c>.</c> of DATA was written; HTTP: the
/// whole request body) and before its answer arrived: the provider may have delivered it. A transport throws it around
/// the failure; its failure classifier makes it an unknown outcome (<see cref="FailureRules.ForLostAnswer"/>).
/// </summary>
public sealed class AnswerLostException(Exception failure)
    : Exception($"the message was sent and the provider's answer was lost: {failure.Message}", failure)
{
    public Exception Failure => InnerException!;
}
