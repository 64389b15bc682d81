using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Notify.Grains.Telemetry;

namespace Notify.Silo.Gateway.Bkci;

/// <summary>
/// The fields BK-CI's classes serialize that this cluster does not use: accepted on BK-CI's paths (BK-CI's own server
/// ignores what it does not know too), counted in <c>notify_gateway_bkci_unused_fields_total{path,field}</c> and logged
/// once per field name, so an operator sees what callers send that has no effect here.
/// </summary>
public sealed partial class BkciUnusedFields
{
    /// <summary>The <c>field</c> label of a name no BK-CI class of that path is known to send, so the label set stays bounded.</summary>
    public const string UnrecognizedLabel = "(unrecognized)";

    /// <summary>Distinct names logged at most; past it, fields are still counted but no longer logged.</summary>
    private const int MaxLoggedNames = 256;

    private static readonly string[] BaseMessageFields = ["source", "retryTime", "v2ExtInfo", "mqResend", "mqResendMax"];

    /// <summary>Per path, what its BK-CI class writes besides the fields the gateway declares (BkciBodies.cs).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Known { get; } = new Dictionary<string, IReadOnlySet<string>>
    {
        [BkciRestApi.EmailPath] = Set([.. BaseMessageFields, "type", "codeccAttachFileContent", "variables", "tencentCloudTemplateId", "receiversEmpty"]),
        [BkciRestApi.RtxPath] = Set(BaseMessageFields),
        [BkciRestApi.WechatPath] = Set([.. BaseMessageFields, "markdownContent", "receiversEmpty"]),
        [BkciRestApi.SmsPath] = Set([.. BaseMessageFields, "receiversEmpty"]),
        [BkciRestApi.WeworkRobotPath] = Set(["attachments"]),
        [BkciRestApi.TemplateSendPath] = Set(["markdownContent", "mentionReceivers", "callbackData"]),
    };

    private readonly Counter<long> _unused;
    private readonly ConcurrentDictionary<string, bool> _logged = new(StringComparer.Ordinal);
    private readonly ILogger<BkciUnusedFields> _logger;

    public BkciUnusedFields(IMeterFactory meterFactory, ILogger<BkciUnusedFields> logger)
    {
        _logger = logger;
        _unused = meterFactory.Create(NotifyMetrics.MeterName).CreateCounter<long>(
            "notify.gateway.bkci.unused_fields", "{field}", "Fields of BK-CI requests accepted but not used by this cluster, by path and field.");
    }

    /// <summary>Counts each of <paramref name="fields"/> once for this request.</summary>
    public void Record(string path, IEnumerable<string>? fields)
    {
        foreach (var field in fields ?? [])
        {
            var known = Known.TryGetValue(path, out var names) && names.Contains(field);
            _unused.Add(1, new KeyValuePair<string, object?>("path", path), new KeyValuePair<string, object?>("field", known ? field : UnrecognizedLabel));
            if (_logged.Count < MaxLoggedNames && _logged.TryAdd(field, true))
            {
                if (known)
                {
                    LogKnownUnused(_logger, field, path);
                }
                else
                {
                    LogUnrecognized(_logger, field, path);
                }
            }
        }
    }

    private static HashSet<string> Set(string[] names) => new(names, StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "BK-CI field '{Field}' (first seen on {Path}) is accepted and not used by this cluster; logged once, counted in notify_gateway_bkci_unused_fields_total")]
    private static partial void LogKnownUnused(ILogger logger, string field, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Field '{Field}' (first seen on {Path}) is not one BK-CI's class for that path is known to send; accepted and not used, as BK-CI's own server does; logged once, counted as field=\"(unrecognized)\"")]
    private static partial void LogUnrecognized(ILogger logger, string field, string path);
}
