using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.Processes;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// One silo's public gateway as a non-.NET caller sees it: BK-CI's REST send over HTTP/1.1 and notify.v1 over gRPC,
/// each call timed, so a test can say how fast a refusal came.
/// </summary>
internal sealed class SiloGateway : IDisposable
{
    private const string ApiKeyHeader = "x-api-key";

    private readonly HttpClient _http;
    private readonly GrpcChannel _grpc;
    private readonly GrpcTestClient _client;
    private readonly Metadata? _grpcHeaders;

    /// <param name="apiKey">The key to present (<c>x-api-key</c>) when the gateway has keys configured.</param>
    public SiloGateway(SiloProcess silo, string? apiKey = null)
        : this(silo.Address, silo.Ports.Http, silo.Ports.Grpc, apiKey)
    {
    }

    public SiloGateway(IPAddress address, int httpPort, int grpcPort, string? apiKey = null)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://{address}:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        _grpc = GrpcChannel.ForAddress($"http://{address}:{grpcPort}");
        _client = new GrpcTestClient(_grpc);
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
            _grpcHeaders = new Metadata { { ApiKeyHeader, apiKey } };
        }
    }

    /// <summary><c>POST /service/notify/email/send</c>, with an <c>Idempotency-Key</c> when <paramref name="requestId"/> is given.</summary>
    public async Task<(RestResponse Response, TimeSpan Took)> SendEmailRestAsync(string receiver, string title, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/notify/email/send")
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { receivers = new[] { receiver }, title, body = "cluster test " + title, source = "cluster-test", sender = "Cluster" }),
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        if (requestId is not null)
        {
            request.Headers.Add("Idempotency-Key", requestId);
        }

        var started = Stopwatch.GetTimestamp();
        var response = await _http.SendRestAsync(request);
        return (response, Stopwatch.GetElapsedTime(started));
    }

    /// <summary><c>notify.v1.NotifyService/SendEmail</c>: the message id, or the status it was refused with; and how long it took.</summary>
    public async Task<(string? MessageId, Status? Refusal, TimeSpan Took)> SendEmailGrpcAsync(string receiver, string title, string? requestId = null, int delaySeconds = 0)
    {
        var request = new SendEmailRequest { Title = title, Body = "cluster test " + title, Source = "cluster-test", Sender = "Cluster", RequestId = requestId ?? "", DelaySeconds = delaySeconds };
        request.Receivers.Add(receiver);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var sent = await _client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, _grpcHeaders);
            return (sent.MessageId, null, Stopwatch.GetElapsedTime(started));
        }
        catch (RpcException refused)
        {
            return (null, refused.Status, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary><c>PUT /op/notify/contacts/{username}</c> with an e-mail address.</summary>
    public async Task<(RestResponse Response, TimeSpan Took)> PutContactAsync(string username, string email)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await _http.PutJsonAsync($"/op/notify/contacts/{username}", JsonSerializer.Serialize(new { email }));
        return (response, Stopwatch.GetElapsedTime(started));
    }

    public async Task<int> ReadinessAsync()
    {
        using var response = await _http.GetAsync("/readyz");
        return (int)response.StatusCode;
    }

    public void Dispose()
    {
        _grpc.Dispose();
        _http.Dispose();
    }
}
