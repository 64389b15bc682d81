using System.Net;
using Notify.IntegrationTests.Infrastructure.Postgres;

namespace Notify.IntegrationTests.Infrastructure.Processes;

/// <summary>
/// A Linux network namespace joined to this machine by one veth pair with a /30 of its own
/// (<see cref="HostAddress"/> here, <see cref="InsideAddress"/> inside): a process started in it reaches this machine
/// only through that link, so <see cref="CutAsync"/> (the host end of the link down) partitions it from everything,
/// PostgreSQL and the other silos alike — packets it sends vanish, and it is unreachable from here. Needs root (or
/// CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2's <c>ip</c>; creating it fails saying so otherwise. Deleted on dispose.
/// </summary>
public sealed class IsolatedNetwork : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private readonly string _hostLink;

    private IsolatedNetwork(string name, string hostLink, IPAddress hostAddress, IPAddress insideAddress)
    {
        Name = name;
        _hostLink = hostLink;
        HostAddress = hostAddress;
        InsideAddress = insideAddress;
    }

    /// <summary>The namespace's name, for <c>ip netns exec</c>.</summary>
    public string Name { get; }

    /// <summary>This machine's end of the link: what the isolated process reaches this machine at.</summary>
    public IPAddress HostAddress { get; }

    /// <summary>The isolated end: what this machine reaches the isolated process at.</summary>
    public IPAddress InsideAddress { get; }

    public bool IsCut { get; private set; }

    /// <summary>The command line prefix that runs a program inside the namespace (the program keeps the process id).</summary>
    public IReadOnlyList<string> ExecPrefix => ["ip", "netns", "exec", Name];

    public static async Task<IsolatedNetwork> CreateAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("a network namespace needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN): run the partition tests as root, e.g. in the CI container");
        }

        // A random /30 in 10.233.0.0/16 and short random names, so parallel runs on one machine do not collide.
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var block = Random.Shared.Next(0, 256 * 64) * 4;
        var network = new IsolatedNetwork(
            "notify-" + suffix,
            "nfh" + suffix,
            new IPAddress([10, 233, (byte)(block >> 8), (byte)((block & 0xff) + 1)]),
            new IPAddress([10, 233, (byte)(block >> 8), (byte)((block & 0xff) + 2)]));
        var insideLink = "nfn" + suffix;
        try
        {
            await IpAsync("netns", "add", network.Name);
            await IpAsync("link", "add", network._hostLink, "type", "veth", "peer", "name", insideLink);
            await IpAsync("link", "set", insideLink, "netns", network.Name);
            await IpAsync("addr", "add", $"{network.HostAddress}/30", "dev", network._hostLink);
            await IpAsync("link", "set", network._hostLink, "up");
            await IpAsync("netns", "exec", network.Name, "ip", "addr", "add", $"{network.InsideAddress}/30", "dev", insideLink);
            await IpAsync("netns", "exec", network.Name, "ip", "link", "set", insideLink, "up");
            await IpAsync("netns", "exec", network.Name, "ip", "link", "set", "lo", "up");
            return network;
        }
        catch (InvalidOperationException exception)
        {
            await network.DisposeAsync();
            throw new InvalidOperationException($"could not create the network namespace for the partition test (root and iproute2 needed): {exception.Message}", exception);
        }
    }

    /// <summary>The partition starts: the link goes down; nothing crosses it either way.</summary>
    public async Task CutAsync()
    {
        await IpAsync("link", "set", _hostLink, "down");
        IsCut = true;
    }

    /// <summary>The partition heals: the link comes back up.</summary>
    public async Task RestoreAsync()
    {
        await IpAsync("link", "set", _hostLink, "up");
        IsCut = false;
    }

    public async ValueTask DisposeAsync()
    {
        // Deleting one end of a veth pair deletes both; the namespace goes after the processes in it have exited.
        await IgnoringFailureAsync("link", "del", _hostLink);
        await IgnoringFailureAsync("netns", "del", Name);
    }

    private static Task IpAsync(params string[] arguments) => CommandRunner.RunAsync("ip", arguments, CommandTimeout);

    private static async Task IgnoringFailureAsync(params string[] arguments)
    {
        try
        {
            await IpAsync(arguments);
        }
        catch (InvalidOperationException)
        {
            // Already gone, or never created.
        }
    }
}
