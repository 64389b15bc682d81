namespace Notify.Silo.Hosting.Tls;

/// <summary>Says once, at start, that the Orleans ports are plaintext on the network because an operator allowed it.</summary>
internal sealed partial class TransportSecurityWarning(OrleansTransportSecurity transport, ILogger<TransportSecurityWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport.PlaintextOnNetwork)
        {
            LogPlaintextOnNetwork(logger, OrleansTransportSecurity.AllowPlaintextKey);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Orleans silo and gateway ports listen on the network without TLS ({Key}=true): anyone who reaches them can call any grain without an API key")]
    private static partial void LogPlaintextOnNetwork(ILogger logger, string key);
}
