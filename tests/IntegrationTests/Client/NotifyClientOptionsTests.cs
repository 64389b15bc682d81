using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Client;
using Notify.Client.Gateway;
using Xunit;

namespace Notify.IntegrationTests.Client;

/// <summary><c>AddNotifyClient</c>'s options, without a cluster: which transport it registers and what it refuses, and why.</summary>
public sealed class NotifyClientOptionsTests
{
    public static TheoryData<string, Dictionary<string, string?>, string> Refused => new()
    {
        { "grpc without an address", new() { ["NotifyClient:Transport"] = "Grpc" }, "NotifyClient:GrpcAddress: the gRPC transport needs the gateway's http:// or https:// address" },
        { "grpc over another scheme", new() { ["NotifyClient:Transport"] = "Grpc", ["NotifyClient:GrpcAddress"] = "ftp://gateway:5081" }, "NotifyClient:GrpcAddress: the gRPC transport needs" },
        { "grpc with a blank key", new() { ["NotifyClient:Transport"] = "Grpc", ["NotifyClient:GrpcAddress"] = "http://gateway:5081", ["NotifyClient:ApiKey"] = " " }, "NotifyClient:ApiKey: is blank" },
        { "orleans with an api key", new() { ["NotifyClient:ApiKey"] = "nk_x" }, "are for the Grpc transport" },
        { "orleans gateway without a port", new() { ["NotifyClient:OrleansGateways:0"] = "silo-1" }, "NotifyClient:OrleansGateways:0: 'silo-1' is not host:port" },
        { "orleans gateway port out of range", new() { ["NotifyClient:OrleansGateways:0"] = "silo-1:70000" }, "NotifyClient:OrleansGateways:0: 'silo-1:70000' is not host:port (port 1-65535)" },
        { "local port out of range", new() { ["NotifyClient:GatewayPort"] = "0" }, "NotifyClient:GatewayPort: 0 is not a port" },
        { "empty cluster id", new() { ["NotifyClient:ClusterId"] = "" }, "NotifyClient:ClusterId: must not be empty" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void AddNotifyClient_InvalidConfiguration_FailsValidationNamingTheKey(string situation, Dictionary<string, string?> settings, string message)
    {
        using var services = Services(settings);

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotifyClientOptions>>().Value);

        Assert.True(refused.Failures.Any(failure => failure.Contains(message, StringComparison.Ordinal)), $"{situation}: {string.Join("; ", refused.Failures)}");
    }

    [Fact]
    public void AddNotifyClient_GrpcTransport_RegistersTheGatewayClientWithTheKey()
    {
        using var services = Services(new()
        {
            ["NotifyClient:Transport"] = "Grpc", ["NotifyClient:GrpcAddress"] = "https://notify.internal:5081", ["NotifyClient:ApiKey"] = "nk_test",
        });

        Assert.IsType<NotifyGatewayClient>(services.GetRequiredService<INotifyClient>());
        Assert.Same(services.GetRequiredService<INotifyClient>(), services.GetRequiredService<IActionClient>());
    }

    [Fact]
    public void AddNotifyClient_OrleansTransportWithGateways_RegistersTheOrleansClientOverThem()
    {
        using var services = Services(new() { ["NotifyClient:OrleansGateways:0"] = "127.0.0.1:30010", ["NotifyClient:OrleansGateways:1"] = "[::1]:30011" });

        Assert.IsType<NotifyClient>(services.GetRequiredService<INotifyClient>());
        var gateways = services.GetRequiredService<IOptions<Orleans.Configuration.StaticGatewayListProviderOptions>>().Value.Gateways;
        Assert.Equal(["gwy.tcp://127.0.0.1:30010/0", "gwy.tcp://[::1]:30011/0"], gateways.Select(uri => uri.ToString()));
    }

    [Fact]
    public void AddNotifyClient_InvalidOptionsFromCode_ThrowsAtRegistration()
    {
        var refused = Assert.Throws<OptionsValidationException>(() =>
            new ServiceCollection().AddNotifyClient(new NotifyClientOptions { Transport = NotifyClientTransport.Grpc }));

        Assert.Contains(refused.Failures, failure => failure.StartsWith("NotifyClient:GrpcAddress:", StringComparison.Ordinal));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddNotifyClient(configuration).BuildServiceProvider();
    }
}
