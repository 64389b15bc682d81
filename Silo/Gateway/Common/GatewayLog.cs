namespace Notify.Silo.Gateway.Common;

internal static partial class GatewayLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{Surface} call {Operation} failed unexpectedly")]
    public static partial void CallFailed(ILogger logger, Exception exception, string surface, string operation);
}
