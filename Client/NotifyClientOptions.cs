using System.Net;
using Microsoft.Extensions.Options;

namespace Notify.Client;

/// <summary>How a client reaches the cluster.</summary>
public enum NotifyClientTransport
{
    /// <summary>Over the silos' Orleans gateways (port 30000 by default): for callers on the cluster's network.</summary>
    Orleans,

    /// <summary>Over the gRPC gateway (<c>notify.v1</c>, port 5081 by default), with an API key where the gateway has keys.</summary>
    Grpc,
}

/// <summary>
/// Where the cluster is (configuration section <c>NotifyClient</c>). The defaults reach an embedded silo on this
/// machine (<c>dotnet run --project Silo</c>).
/// </summary>
public sealed class NotifyClientOptions
{
    public const string SectionName = "NotifyClient";

    /// <summary>Orleans (the default) or Grpc.</summary>
    public NotifyClientTransport Transport { get; set; } = NotifyClientTransport.Orleans;

    /// <summary>
    /// Orleans: the silos' Orleans gateways as <c>host:port</c> (a static gateway list; host names are resolved when
    /// the client starts). Empty: the silo on this machine at <see cref="GatewayPort"/>.
    /// </summary>
    public List<string> OrleansGateways { get; set; } = [];

    /// <summary>Orleans: the local silo's Orleans gateway port (<c>Silo:GatewayPort</c>), used when <see cref="OrleansGateways"/> is empty. The default value is 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Orleans: <c>Orleans:ClusterId</c> of the silos. The default value is "notify".</summary>
    public string ClusterId { get; set; } = "notify";

    /// <summary>Orleans: <c>Orleans:ServiceId</c> of the silos. The default value is "notify".</summary>
    public string ServiceId { get; set; } = "notify";

    /// <summary>Grpc: the gateway's address, <c>http://host:5081</c> or <c>https://…</c>. Required with <see cref="NotifyClientTransport.Grpc"/>.</summary>
    public Uri? GrpcAddress { get; set; }

    /// <summary>Grpc: the gateway's API key (sent as <c>x-api-key</c>); none for a gateway without keys.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Orleans: mutual TLS to the gateways, required by silos that set <c>Silo:Tls</c>; none for plaintext (loopback silos).</summary>
    public NotifyClientTlsOptions? Tls { get; set; }
}

/// <summary>Refuses options that cannot reach a cluster, naming the key and why.</summary>
public sealed class NotifyClientOptionsValidator : IValidateOptions<NotifyClientOptions>
{
    private const string Prefix = NotifyClientOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, NotifyClientOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every failure.</summary>
    public static void EnsureValid(NotifyClientOptions options)
    {
        var result = new NotifyClientOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(NotifyClientOptions), result.Failures);
        }
    }

    private static IEnumerable<string> Failures(NotifyClientOptions options)
    {
        if (!Enum.IsDefined(options.Transport))
        {
            yield return $"{Prefix}Transport: '{options.Transport}' is not Orleans or Grpc";
            yield break;
        }

        if (options.Transport == NotifyClientTransport.Grpc)
        {
            if (options.GrpcAddress is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
            {
                yield return $"{Prefix}GrpcAddress: the gRPC transport needs the gateway's http:// or https:// address (got '{options.GrpcAddress}')";
            }

            if (options.ApiKey is { } key && string.IsNullOrWhiteSpace(key))
            {
                yield return $"{Prefix}ApiKey: is blank; remove it for a gateway without keys";
            }

            yield break;
        }

        if (options.ApiKey is not null || options.GrpcAddress is not null)
        {
            yield return $"{Prefix}ApiKey and {Prefix}GrpcAddress are for the Grpc transport: set {Prefix}Transport to Grpc, or remove them (the Orleans gateway takes no key)";
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            yield return $"{Prefix}ClusterId: must not be empty (the silos' Orleans:ClusterId)";
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            yield return $"{Prefix}ServiceId: must not be empty (the silos' Orleans:ServiceId)";
        }

        if (options.OrleansGateways.Count == 0 && options.GatewayPort is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            yield return $"{Prefix}GatewayPort: {options.GatewayPort} is not a port (1-65535)";
        }

        for (var index = 0; index < options.OrleansGateways.Count; index++)
        {
            if (!OrleansGatewayAddress.TryParse(options.OrleansGateways[index], out _, out _))
            {
                yield return $"{Prefix}OrleansGateways:{index}: '{options.OrleansGateways[index]}' is not host:port (port 1-65535)";
            }
        }
    }
}

/// <summary>Parses <c>host:port</c> (IPv6 in brackets: <c>[::1]:30000</c>).</summary>
internal static class OrleansGatewayAddress
{
    public static bool TryParse(string? text, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out port) || port is < 1 or > IPEndPoint.MaxPort)
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
