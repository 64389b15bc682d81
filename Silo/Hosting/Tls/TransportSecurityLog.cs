namespace Notify.Silo.Hosting.Tls;

/// <summary>
/// Says once, at start, that the Orleans ports are plaintext on the network because an operator allowed it, and
/// from then on why each refused TLS peer was refused. Registered before Orleans, so it starts before the ports open.
/// </summary>
internal sealed partial class TransportSecurityLog(OrleansTransportSecurity transport, ILogger<TransportSecurityLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport.PlaintextOnNetwork)
        {
            LogPlaintextOnNetwork(logger, OrleansTransportSecurity.AllowPlaintextKey);
        }

        transport.ReportRefusalsTo(reason => LogPeerRefused(logger, reason));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Orleans silo and gateway ports listen on the network without TLS ({Key}=true): anyone who reaches them can call any grain without an API key")]
    private static partial void LogPlaintextOnNetwork(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a TLS peer on the Orleans ports: {Reason}")]
    private static partial void LogPeerRefused(ILogger logger, string reason);
}
