using System.Globalization;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Actions;

/// <summary>
/// The configured bounds on what an action instance may cost (<see cref="ActionOptions"/>): how often it repeats and how
/// many receivers a notice way reaches. Pure, so the grain and the tests share one wording, naming the field and the limit.
/// </summary>
public static class ActionQuotas
{
    /// <summary>
    /// Every reason <paramref name="request"/> may not start, with <paramref name="abnormal"/> its first notice's audience
    /// as the user groups are now; empty when it may.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(CreateActionRequest request, NoticeAudience abnormal, ActionOptions options)
    {
        var errors = new List<FieldError>();
        var execute = request.ExecuteConfig;
        if (execute.NeedPoll && execute.NotifyInterval > 0 && execute.NotifyInterval < options.MinNotifyIntervalSeconds)
        {
            errors.Add(new FieldError("executeConfig.notifyInterval", string.Create(CultureInfo.InvariantCulture,
                $"must be at least {options.MinNotifyIntervalSeconds} seconds between repeats (Notify:Actions:MinNotifyIntervalSeconds), or 0 for no repeats (got {execute.NotifyInterval})")));
        }

        var widest = abnormal.Ways
            .Select(NoticeWay.Parse)
            .Where(way => !way.IsRobot)
            .Select(way => abnormal.ReceiversFor(way).Count)
            .DefaultIfEmpty(0)
            .Max();
        if (widest > options.MaxReceiversPerWay)
        {
            errors.Add(new FieldError("notifyConfig.userGroups", TooManyReceivers(widest, options)));
        }

        return errors;
    }

    /// <summary>Why a notice way to <paramref name="receivers"/> people is not sent.</summary>
    public static string TooManyReceivers(int receivers, ActionOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"the user groups reach {receivers} receivers on one notice way; at most {options.MaxReceiversPerWay} are allowed (Notify:Actions:MaxReceiversPerWay)");

    /// <summary>Whether the abnormal notice may repeat after <paramref name="executeTimes"/> runs: the first notice and <paramref name="maxRepeats"/> repeats.</summary>
    public static bool MayRepeat(int executeTimes, int maxRepeats) => executeTimes <= maxRepeats;
}
