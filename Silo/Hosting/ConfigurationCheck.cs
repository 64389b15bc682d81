using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using Notify.Grains.Channels.Email;
using Notify.Grains.Channels.Rtx;
using Notify.Grains.Channels.Sms;
using Notify.Grains.Channels.Voice;
using Notify.Grains.Channels.Wechat;
using Notify.Grains.Channels.Wework;
using Notify.Silo.Persistence;
using Orleans.Runtime;

namespace Notify.Silo.Hosting;

/// <summary>
/// <c>--check-config</c>: builds the silo as it would start (same arguments, files and environment) without starting
/// it, validates every option set that is checked at start, then tries what the silo needs outside itself: the
/// database (and its schema version), the SMTP server (connect, TLS, AUTH) and each HTTP provider's address. Prints
/// one line per check and returns 0 when all pass, 1 otherwise.
/// </summary>
public static class ConfigurationCheck
{
    public const string Flag = "--check-config";

    public const int Passed = 0;
    public const int Failed = 1;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var report = new Report(output);
        WebApplication app;
        try
        {
            app = NotifyHost.Build(args);
        }
        catch (OptionsValidationException exception)
        {
            foreach (var failure in exception.Failures)
            {
                report.Fail("configuration", failure);
            }

            return report.Finish();
        }

        await using (app)
        {
            ValidateOptions(app.Services, report);
            var host = NotifyHostOptions.Read(app.Configuration);
            if (host.Profile == StorageProfile.Postgres)
            {
                await CheckDatabaseAsync(host.ConnectionString!, report, cancellationToken);
            }
            else
            {
                report.Skip("database", "profile Embedded: state and records in memory");
            }

            await CheckSmtpAsync(Valid<EmailChannelOptions>(app.Services), report, cancellationToken);
            await CheckHttpProvidersAsync(app.Services, report, cancellationToken);
        }

        return report.Finish();
    }

    private static void ValidateOptions(IServiceProvider services, Report report)
    {
        var failures = new List<string>();
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException exception)
        {
            failures.AddRange(exception.Failures);
        }
        catch (AggregateException exception)
        {
            failures.AddRange(exception.InnerExceptions.SelectMany(inner => inner is OptionsValidationException options ? options.Failures : [inner.Message]));
        }

        // Orleans checks its own options (clustering, endpoints, storage) when the silo starts.
        foreach (var validator in services.GetServices<IConfigurationValidator>())
        {
            try
            {
                validator.ValidateConfiguration();
            }
            catch (OrleansConfigurationException exception)
            {
                failures.Add(exception.Message);
            }
        }

        if (failures.Count == 0)
        {
            report.Ok("configuration", "every option set checked at start is valid");
        }

        foreach (var failure in failures)
        {
            report.Fail("configuration", failure);
        }
    }

    private static async Task CheckDatabaseAsync(string connectionString, Report report, CancellationToken cancellationToken)
    {
        try
        {
            await using var dataSource = NotifyPostgresDataSource.Create(connectionString);
            await using (var command = dataSource.CreateCommand("SELECT 1"))
            {
                await command.ExecuteScalarAsync(cancellationToken);
            }

            var pending = await new SchemaMigrator(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance)
                .PendingAsync(cancellationToken);
            report.Ok("database", pending.Count == 0
                ? $"connected; schema at version {SchemaMigrator.CurrentVersion}, current"
                : $"connected; the silo will apply {string.Join(", ", pending.Select(script => script.Name))} when it starts");
        }
        catch (SchemaMismatchException exception)
        {
            report.Fail("database", exception.Message);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or ArgumentException)
        {
            report.Fail("database", $"cannot connect to {Where(connectionString)}: {exception.Message}");
        }
    }

    // Host, port and database only: the connection string's password stays out of the report.
    private static string Where(string connectionString)
    {
        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{parsed.Host}:{parsed.Port}/{parsed.Database}";
    }

    /// <summary>The options, or null when they are invalid (already reported by <see cref="ValidateOptions"/>).</summary>
    private static TOptions? Valid<TOptions>(IServiceProvider services)
        where TOptions : class
    {
        try
        {
            return services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private static async Task CheckSmtpAsync(EmailChannelOptions? email, Report report, CancellationToken cancellationToken)
    {
        if (email is null)
        {
            return;
        }

        if (!email.IsConfigured)
        {
            report.Skip("smtp", $"{EmailChannelOptions.SectionName}:Host is not set: e-mail goes to the outbox");
            return;
        }

        var where = $"{email.Host}:{email.Port} ({email.EffectiveSecurity})";
        using var client = new SmtpClient { Timeout = (int)email.ConnectTimeout.TotalMilliseconds };
        if (email.AllowInvalidCertificate)
        {
            client.CheckCertificateRevocation = false;
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(email.ConnectTimeout);
            var security = email.EffectiveSecurity switch
            {
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(email.Host!.Trim(), email.Port, security, timeout.Token);
            if (!string.IsNullOrWhiteSpace(email.User))
            {
                await client.AuthenticateAsync(email.User, email.Password ?? "", timeout.Token);
            }

            await client.DisconnectAsync(quit: true, timeout.Token);
            report.Ok("smtp", string.IsNullOrWhiteSpace(email.User) ? $"{where} answered" : $"{where} answered and accepted the login of {email.User}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            report.Fail("smtp", $"{where} did not answer within {EmailChannelOptions.SectionName}:ConnectTimeout ({email.ConnectTimeout})");
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or SmtpProtocolException
                                              or SmtpCommandException or AuthenticationException or SslHandshakeException)
        {
            report.Fail("smtp", $"{where}: {exception.Message}");
        }
    }

    private static async Task CheckHttpProvidersAsync(IServiceProvider services, Report report, CancellationToken cancellationToken)
    {
        (string Name, string Key, string? Url, TimeSpan Timeout)[] providers =
        [
            Provider<RtxChannelOptions>(services, "rtx", RtxChannelOptions.SectionName + ":BaseUrl", options => options.BaseUrl),
            Provider<WeworkChannelOptions>(services, "wework", WeworkChannelOptions.SectionName + ":WebhookUrl", options => options.WebhookUrl),
            Provider<SmsChannelOptions>(services, "sms", SmsChannelOptions.SectionName + ":BaseUrl", options => options.BaseUrl),
            Provider<WechatChannelOptions>(services, "wechat", WechatChannelOptions.SectionName + ":BaseUrl", options => options.BaseUrl),
            Provider<VoiceChannelOptions>(services, "voice", VoiceChannelOptions.SectionName + ":BaseUrl", options => options.BaseUrl),
        ];

        foreach (var (name, key, url, timeout) in providers)
        {
            if (url is null)
            {
                continue; // invalid options: reported above
            }

            if (url.Length == 0)
            {
                report.Skip(name, $"{key} is not set: messages go to the outbox");
                continue;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var address))
            {
                continue; // the options check above has reported it
            }

            // Any HTTP answer shows the address, TLS and routing work; no credential is sent.
            using var http = new HttpClient { Timeout = timeout };
            try
            {
                using var response = await http.GetAsync(address.GetLeftPart(UriPartial.Path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                report.Ok(name, $"{address.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode}");
            }
            catch (HttpRequestException exception)
            {
                report.Fail(name, $"{address.GetLeftPart(UriPartial.Path)} ({key}): {exception.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                report.Fail(name, $"{address.GetLeftPart(UriPartial.Path)} ({key}) did not answer within {timeout}");
            }
        }
    }

    private static (string, string, string?, TimeSpan) Provider<TOptions>(IServiceProvider services, string name, string key, Func<TOptions, string> url)
        where TOptions : Grains.Channels.Http.HttpChannelOptions
    {
        var options = Valid<TOptions>(services);
        return (name, key, options is null ? null : url(options).Trim(), options?.Timeout ?? TimeSpan.Zero);
    }

    private sealed class Report(TextWriter output)
    {
        private int _failures;

        public void Ok(string check, string detail) => output.WriteLine($"ok    {check}: {detail}");

        public void Skip(string check, string detail) => output.WriteLine($"skip  {check}: {detail}");

        public void Fail(string check, string detail)
        {
            _failures++;
            output.WriteLine($"FAIL  {check}: {detail}");
        }

        public int Finish()
        {
            output.WriteLine(_failures == 0 ? "configuration check passed" : $"configuration check failed: {_failures} problem(s)");
            return _failures == 0 ? Passed : Failed;
        }
    }
}
