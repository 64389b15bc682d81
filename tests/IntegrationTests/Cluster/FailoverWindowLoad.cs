using System.Collections.Concurrent;
using System.Net;
using Notify.IntegrationTests.Infrastructure.Processes;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// REST sends to one surviving silo's gateway while another silo is being declared dead, each with its own
/// Idempotency-Key: the key's grain lives anywhere, the dead silo included, so the gateway has to ride out the window.
/// </summary>
internal static class FailoverWindowLoad
{
    private const int Callers = 4;

    public sealed record Outcome(IReadOnlyList<string> Accepted, IReadOnlyList<string> Refused);

    public static async Task<Outcome> RunAsync(SiloProcess survivor, CancellationToken stop)
    {
        using var gateway = new SiloGateway(survivor);
        var accepted = new ConcurrentQueue<string>();
        var refused = new ConcurrentQueue<string>();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                var (response, took) = await gateway.SendEmailRestAsync($"failover{i}@example.com", $"failover {i}", requestId: $"failover-{i}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    accepted.Enqueue(response.Body.GetProperty("messageId").GetString()!);
                }
                else
                {
                    refused.Enqueue($"{(int)response.StatusCode} after {took.TotalSeconds:F1} s: {response.Body}");
                }
            }
        }));
        return new Outcome(accepted.ToArray(), refused.ToArray());
    }
}
