using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Notify.Silo.Hosting;

/// <summary>Which storage and clustering the silo runs on (<c>Notify:Profile</c>).</summary>
public enum StorageProfile
{
    /// <summary>Localhost clustering, grain state, reminders and records in memory: <c>dotnet run --project Silo</c>.</summary>
    Embedded,
    /// <summary>Clustering, grain state, reminders and records in PostgreSQL (<c>ConnectionStrings:Notify</c>).</summary>
    Postgres,
}

/// <summary>The host's own settings, read and checked before anything starts.</summary>
public sealed class NotifyHostOptions
{
    /// <summary>Embedded (memory, localhost clustering: development) or Postgres (clustering, state, reminders and records in PostgreSQL). The default value is Embedded.</summary>
    public StorageProfile Profile { get; init; } = StorageProfile.Embedded;

    /// <summary>The PostgreSQL connection string (Npgsql syntax); required by the Postgres profile.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The Orleans cluster id: silos with the same id form one cluster. The default value is "notify".</summary>
    public string ClusterId { get; init; } = "notify";

    /// <summary>The Orleans service id, which keys stored grain state and reminders; keep it across deployments. The default value is "notify".</summary>
    public string ServiceId { get; init; } = "notify";

    /// <summary>The port silos talk to each other on. The default value is 11111.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>The Orleans gateway port that .NET clients (Notify.Client, the CLI) connect to. The default value is 30000.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos and clients reach this silo at (Postgres profile). The default value is 127.0.0.1.</summary>
    public IPAddress AdvertisedIp { get; init; } = IPAddress.Loopback;

    /// <summary>The shortest reminder period Orleans accepts (retention and recovery reminders). The default value is 1 minute.</summary>
    public TimeSpan MinimumReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The address the REST and gRPC gateway listens on; an address other machines reach needs API keys. The default value is 127.0.0.1.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The HTTP/1.1 port: REST, probes, metrics, the dashboard and /openapi/v1.json. The default value is 5080.</summary>
    public int HttpPort { get; init; } = 5080;

    /// <summary>The HTTP/2 port of the gRPC gateway (notify.v1). The default value is 5081.</summary>
    public int GrpcPort { get; init; } = 5081;

    /// <summary>
    /// How long a graceful stop (SIGTERM) may take: channel senders drain the sends on the wire, Orleans hands grains
    /// and reminders over. Past it the silo stops ungracefully; interrupted attempts are then retried elsewhere and
    /// flagged possible duplicates. Keep it above the SMTP/HTTP send timeouts and below the orchestrator's kill
    /// grace period. The default value is 30 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads the keys of DESIGN.md's configuration table; every bad value is reported with its key.</summary>
    public static NotifyHostOptions Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var profileText = configuration["Notify:Profile"];
        var profile = StorageProfile.Embedded;
        if (!string.IsNullOrWhiteSpace(profileText) && !Enum.TryParse(profileText, ignoreCase: true, out profile))
        {
            errors.Add($"Notify:Profile must be Embedded or Postgres (got '{profileText}')");
        }

        var connectionString = configuration.GetConnectionString("Notify");
        if (profile == StorageProfile.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add("ConnectionStrings:Notify is required when Notify:Profile is Postgres");
        }

        var options = new NotifyHostOptions
        {
            Profile = profile,
            ConnectionString = connectionString,
            ClusterId = Text(configuration, "Orleans:ClusterId", "notify", errors),
            ServiceId = Text(configuration, "Orleans:ServiceId", "notify", errors),
            SiloPort = Port(configuration, "Silo:SiloPort", 11111, errors),
            GatewayPort = Port(configuration, "Silo:GatewayPort", 30000, errors),
            AdvertisedIp = Address(configuration, "Silo:AdvertisedIP", IPAddress.Loopback, errors),
            MinimumReminderPeriod = Period(configuration, "Notify:Reminders:MinimumPeriod", TimeSpan.FromMinutes(1), errors),
            ListenAddress = Address(configuration, "Gateway:ListenAddress", IPAddress.Loopback, errors),
            HttpPort = Port(configuration, "Gateway:HttpPort", 5080, errors),
            GrpcPort = Port(configuration, "Gateway:GrpcPort", 5081, errors),
            ShutdownTimeout = Period(configuration, "Notify:ShutdownTimeout", TimeSpan.FromSeconds(30), errors),
        };

        if (options.HttpPort != 0 && options.HttpPort == options.GrpcPort)
        {
            errors.Add("Gateway:HttpPort and Gateway:GrpcPort must differ (HTTP/1.1 and HTTP/2 need their own ports)");
        }

        return errors.Count > 0
            ? throw new OptionsValidationException(nameof(NotifyHostOptions), typeof(NotifyHostOptions), errors)
            : options;
    }

    private static string Text(IConfiguration configuration, string key, string fallback, List<string> errors)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        if (value.Length is 0 or > 150 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"{key} must be 1-150 characters without spaces (got '{value}')");
        }

        return value;
    }

    private static int Port(IConfiguration configuration, string key, int fallback, List<string> errors)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, out var port) || port is < 0 or > 65535)
        {
            errors.Add($"{key} must be a port number 0-65535 (got '{value}')");
            return fallback;
        }

        return port;
    }

    private static IPAddress Address(IConfiguration configuration, string key, IPAddress fallback, List<string> errors)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        if (!IPAddress.TryParse(value, out var address))
        {
            errors.Add($"{key} must be an IP address (got '{value}')");
            return fallback;
        }

        return address;
    }

    private static TimeSpan Period(IConfiguration configuration, string key, TimeSpan fallback, List<string> errors)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        if (!TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var period) || period <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive time span such as 00:01:00 (got '{value}')");
            return fallback;
        }

        return period;
    }
}
