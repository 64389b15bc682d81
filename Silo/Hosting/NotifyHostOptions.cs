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
    public StorageProfile Profile { get; init; } = StorageProfile.Embedded;

    public string? ConnectionString { get; init; }

    public string ClusterId { get; init; } = "notify";

    public string ServiceId { get; init; } = "notify";

    public int SiloPort { get; init; } = 11111;

    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos and clients reach this silo at (Postgres profile). The default value is 127.0.0.1.</summary>
    public IPAddress AdvertisedIp { get; init; } = IPAddress.Loopback;

    public TimeSpan MinimumReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);

    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    public int HttpPort { get; init; } = 5080;

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
