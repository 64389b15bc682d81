namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// The JSON/proto spelling of the action enums: bk-monitor's values (<c>partial_success</c>, <c>execute_failure</c>,
/// <c>ABNORMAL</c>, <c>increasing</c>, <c>execute_success</c>), so callers keep their existing strings.
/// </summary>
public static class ActionWireNames
{
    private static readonly WireMap<ActionStatus> Statuses = new(
        (ActionStatus.Received, "received"), (ActionStatus.Waiting, "waiting"), (ActionStatus.Running, "running"),
        (ActionStatus.Sleep, "sleep"), (ActionStatus.Retrying, "retrying"), (ActionStatus.Success, "success"),
        (ActionStatus.PartialSuccess, "partial_success"), (ActionStatus.Failure, "failure"),
        (ActionStatus.PartialFailure, "partial_failure"), (ActionStatus.Skipped, "skipped"),
        (ActionStatus.Shield, "shield"), (ActionStatus.Blocked, "blocked"));

    private static readonly WireMap<FailureType> FailureTypes = new(
        (FailureType.FrameworkCodeFailure, "framework_code_failure"), (FailureType.Timeout, "timeout"),
        (FailureType.ExecuteFailure, "execute_failure"), (FailureType.CreateFailure, "create_failure"),
        (FailureType.Blocked, "blocked"));

    private static readonly WireMap<AlertStatus> AlertStatuses = new(
        (AlertStatus.Abnormal, "ABNORMAL"), (AlertStatus.Recovered, "RECOVERED"), (AlertStatus.Closed, "CLOSED"));

    private static readonly WireMap<IntervalNotifyMode> Modes = new(
        (IntervalNotifyMode.Standard, "standard"), (IntervalNotifyMode.Increasing, "increasing"));

    private static readonly WireMap<NotifyStep> Steps = new(
        (NotifyStep.Abnormal, "abnormal"), (NotifyStep.Recovered, "recovered"), (NotifyStep.Closed, "closed"),
        (NotifyStep.Ack, "ack"), (NotifyStep.Execute, "execute"), (NotifyStep.ExecuteSuccess, "execute_success"),
        (NotifyStep.ExecuteFailed, "execute_failed"));

    private static readonly WireMap<NoticeWayStatus> WayStatuses = new(
        (NoticeWayStatus.Pending, "pending"), (NoticeWayStatus.Sent, "sent"), (NoticeWayStatus.PartiallySent, "partially_sent"),
        (NoticeWayStatus.Failed, "failed"), (NoticeWayStatus.Suppressed, "suppressed"), (NoticeWayStatus.Blocked, "blocked"),
        (NoticeWayStatus.Shielded, "shielded"));

    public static string WireName(this ActionStatus value) => Statuses.Name(value);

    public static string WireName(this FailureType value) => FailureTypes.Name(value);

    public static string WireName(this AlertStatus value) => AlertStatuses.Name(value);

    public static string WireName(this IntervalNotifyMode value) => Modes.Name(value);

    public static string WireName(this NotifyStep value) => Steps.Name(value);

    public static string WireName(this NoticeWayStatus value) => WayStatuses.Name(value);

    public static bool TryParse(string? name, out ActionStatus value) => Statuses.TryParse(name, out value);

    public static bool TryParse(string? name, out AlertStatus value) => AlertStatuses.TryParse(name, out value);

    public static bool TryParse(string? name, out IntervalNotifyMode value) => Modes.TryParse(name, out value);

    public static bool TryParse(string? name, out NotifyStep value) => Steps.TryParse(name, out value);

    /// <summary>Both directions of one enum's names; parsing ignores case, as bk-monitor's configs are not consistent.</summary>
    private sealed class WireMap<T> where T : struct, Enum
    {
        private readonly Dictionary<T, string> _names;
        private readonly Dictionary<string, T> _values;

        public WireMap(params (T Value, string Name)[] pairs)
        {
            _names = pairs.ToDictionary(p => p.Value, p => p.Name);
            _values = pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
        }

        public string Name(T value) =>
            _names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"no wire name for {typeof(T).Name}");

        public bool TryParse(string? name, out T value) => _values.TryGetValue(name?.Trim() ?? "", out value);
    }
}
