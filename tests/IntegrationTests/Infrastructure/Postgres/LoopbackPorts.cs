using System.Net;
using System.Net.Sockets;

namespace Notify.IntegrationTests.Infrastructure.Postgres;

internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (the OS picks it); callers retry if it is taken meanwhile.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
