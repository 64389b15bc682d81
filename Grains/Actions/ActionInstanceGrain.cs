using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.RateLimits;
using Notify.Grains.Scheduling;
using Orleans.Hosting;

namespace Notify.Grains.Actions;

/// <summary>
/// One bk-monitor action instance: its state machine (<see cref="ActionTransitions"/>), driven by
/// <see cref="ActionPlanner"/>. The grain only gathers inputs and carries out the plan. Status changes go through
/// <see cref="UpdateStatusAsync"/>, which refuses a change from any status but the expected one: the grain's turn is the
/// lock and the stored ETag guards against a second activation (its <c>InconsistentStateException</c> deactivates this one).
/// Wake-ups (<see cref="WakeSchedule"/>): a reminder named after the run it is for (<see cref="WakeTicket"/>) is the durable
/// one, a grain timer gives sub-minute precision while active; both land in <see cref="OnWakeAsync"/>, which ignores any run
/// but the current one. An instance that falls asleep for longer than <see cref="ActionOptions.DeactivateWhenAsleepLongerThan"/>,
/// or stays idle for two minutes, leaves memory; its reminder brings it back on time, so a silo holds only the instances
/// that are busy, not every open alert.
/// A finished instance registers one more reminder, <see cref="PurgeReminder"/>, at its end time plus
/// <see cref="ActionOptions.FinishedRetention"/>; past that time it answers as never created, and the reminder's tick
/// deletes its state and its list entry (<see cref="ActionRetention"/>).
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class ActionInstanceGrain(
    [PersistentState("action-instance", NotifyStorage.Name)] IPersistentState<ActionInstanceState> state,
    IActionNoticeRenderer renderer,
    IOptions<ActionOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<ActionInstanceGrain> logger) : Grain, IActionInstanceGrain, IRemindable
{
    // Each plan step is a durable transition; a real sequence needs at most six, so more means a bug, not work.
    private const int MaxPlanSteps = 16;

    /// <summary>The reminder of a finished instance that deletes it once its retention has passed.</summary>
    public const string PurgeReminder = "purge";

    private readonly ActionOptions _options = options.Value;
    private WakeSchedule? _wakeups;

    // Changes made in memory that the next transition (or the end of the turn) writes.
    private bool _unsaved;

    private string ActionId => state.State.Request?.ActionId ?? ActionKeys.ParseInstance(this.GetPrimaryKeyString()).ActionId;

    /// <summary>The source that created this instance, from its key: its notices go out, and are recorded, under it.</summary>
    private string Owner => ActionKeys.ParseInstance(this.GetPrimaryKeyString()).Source;

    private WakeSchedule Wakeups => _wakeups ??= new WakeSchedule(
        this,
        ticket => OnWakeAsync(ticket, reminderName: null),
        reminderOptions.Value.MinimumReminderPeriod > TimeSpan.FromSeconds(1) ? reminderOptions.Value.MinimumReminderPeriod : TimeSpan.FromSeconds(1),
        time,
        logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Resume: wake when the stored schedule says (at once if that time passed while no silo held the instance).
        if (state.State.Request is null || state.State.Status.IsEnd())
        {
            return;
        }

        var groups = await LoadGroupsAsync();
        var now = time.GetUtcNow();
        switch (ActionPlanner.Plan(state.State, groups.Found, _options.OutcomeCheckDelay, _options.MaxRepeats, now))
        {
            case WaitUntil wait:
                Wakeups.SetTimer(wait.Ticket, wait.At);
                break;
            case not Idle:
                Wakeups.SetTimer(ActionPlanner.CurrentTicket(state.State), now);
                break;
        }
    }

    public async Task<ActionInstanceView> CreateAsync(CreateActionRequest request)
    {
        var valid = ActionRequestValidator.EnsureValid(request);
        if (ActionKeys.Instance(Owner, valid.ActionId) != this.GetPrimaryKeyString())
        {
            throw NotifyRequestException.Invalid("actionId", $"'{valid.ActionId}' is not the id of this instance");
        }

        if (IsExpired)
        {
            await PurgeAsync();
        }

        if (state.State.Request is { } existing)
        {
            return ActionRequestValidator.Equivalent(existing, valid)
                ? View()
                : throw NotifyRequestException.Conflict("actionId", $"action {valid.ActionId} already exists with a different body");
        }

        var groups = await EnsureUserGroupsExistAsync(valid.NotifyConfig.UserGroups);
        var now = time.GetUtcNow();
        var abnormal = NoticeAudience.Resolve(valid.NotifyConfig, groups, valid.Alert.Level, NotifyStep.Abnormal, now);
        if (abnormal.Ways.Count == 0)
        {
            DeactivateOnIdle();
            throw NotifyRequestException.Invalid("notifyConfig.steps.abnormal",
                $"must list at least one notice way: it is the first notice, and no user group has a rule with abnormal ways for level {valid.Alert.Level}");
        }

        if (ActionQuotas.Check(valid, abnormal, _options) is { Count: > 0 } overQuota)
        {
            DeactivateOnIdle();
            throw NotifyRequestException.Invalid(overQuota);
        }

        // Registered before the first write, so an instance whose silo stops right after the write is still resumed.
        await Wakeups.SetReminderAsync(new WakeTicket(1, 0), now + _options.ResumeDelay);

        var created = state.State;
        created.Request = valid;
        created.Status = ActionStatus.Received;
        created.AlertStatus = valid.Alert.Status;
        created.CreatedAt = now;
        created.UpdatedAt = now;
        LogCreated(valid.ActionId, valid.Alert.Id);

        // The first transition (the first notice starting, or the wait for it) writes the creation with it: one store
        // write fewer per instance. Nothing is sent before that write, so a silo lost before it leaves only the
        // reminder, which finds no instance and goes; the caller had no answer and creates again.
        _unsaved = true;
        try
        {
            await AdvanceAsync();
        }
        catch when (!state.RecordExists)
        {
            DeactivateOnIdle();
            throw;
        }

        return View();
    }

    public async Task<ActionInstanceView?> GetAsync()
    {
        if (IsExpired)
        {
            await PurgeAsync();
        }

        // An id that names no instance stays active until collected (two minutes idle) rather than deactivating at
        // once: calls queued behind a deactivation are rejected, so concurrent probes of one unknown id answered 503.
        return state.State.Request is null ? null : View();
    }

    public Task<ActionInstanceView> AckAsync() => StopAsync(ActionSignal.Ack, AlertStatus.Abnormal);

    public Task<ActionInstanceView> RecoverAsync() => StopAsync(ActionSignal.Recover, AlertStatus.Recovered);

    public Task<ActionInstanceView> CloseAsync() => StopAsync(ActionSignal.Close, AlertStatus.Closed);

    public async Task<ActionInstanceView> UpdateAlertAsync(ActionAlertUpdate update)
    {
        var valid = ActionRequestValidator.EnsureValid(update);
        var current = EnsureOpen();
        if (current.AlertStatus != AlertStatus.Abnormal)
        {
            throw NotifyRequestException.Conflict("alert.status", $"the alert of action {ActionId} is {current.AlertStatus.WireName()}; only an abnormal alert takes updates");
        }

        current.Alert = valid.ApplyTo(current.Alert ?? current.Request!.Alert);
        current.UpdatedAt = time.GetUtcNow();
        _unsaved = true;
        LogAlertUpdated(ActionId, current.Alert.Level, current.Alert.AnomalyTime, current.Alert.EventCount);
        await AdvanceAsync();
        return View();
    }

    public Task<ActionInstanceView> ShieldAsync() => SetShieldedAsync(true);

    public Task<ActionInstanceView> UnshieldAsync() => SetShieldedAsync(false);

    public async Task OnMessageCompletedAsync(MessageCompletion completion)
    {
        var current = state.State;
        if (current.Request is null)
        {
            return;
        }

        var way = FindWay(current, completion);
        if (way is null)
        {
            LogUnknownCompletion(ActionId, completion.MessageId, completion.Reference);
            return;
        }

        if (NoticeOutcomes.Apply(way, completion, time.GetUtcNow()))
        {
            _unsaved = true;
            await AdvanceAsync();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == PurgeReminder)
        {
            await OnPurgeReminderAsync();
            return;
        }

        if (WakeTicket.TryParseReminderName(reminderName, out var ticket))
        {
            await OnWakeAsync(ticket, reminderName);
            return;
        }

        LogStaleWake(ActionId, reminderName, "not a wake-up reminder");
        await Wakeups.RemoveReminderAsync(reminderName);
    }

    /// <summary>
    /// Every wake-up (reminder tick or timer) for <paramref name="ticket"/>. Only the run the instance waits for may act:
    /// a duplicate tick, or a reminder left from an earlier run, names an older run and is dropped. A late tick for the
    /// current run acts once: the next due time counts from when the run really starts, so missed periods never pile up.
    /// </summary>
    private async Task OnWakeAsync(WakeTicket ticket, string? reminderName)
    {
        var current = state.State;
        if (current.Request is null)
        {
            await Wakeups.ClearAsync();
            DeactivateOnIdle();
            return;
        }

        if (current.Status.IsEnd())
        {
            // A wake-up left over from before the end: it goes, the purge reminder stays (registered again if it was lost).
            Wakeups.CancelTimer();
            if (reminderName is not null)
            {
                await Wakeups.RemoveReminderAsync(reminderName);
                await SchedulePurgeAsync();
            }

            return;
        }

        if (!ActionPlanner.IsCurrent(ticket, current))
        {
            LogStaleWake(ActionId, ticket.ReminderName, $"the instance waits for {ActionPlanner.CurrentTicket(current)}");
            if (reminderName is not null)
            {
                await Wakeups.RemoveReminderAsync(reminderName);
            }

            return;
        }

        await AdvanceAsync();
    }

    /// <summary>Carries out the planner's decisions until it says to wait (or there is nothing left to do).</summary>
    private async Task AdvanceAsync()
    {
        // Read once per turn: the time ranges, rules and duty the planner and the submit resolve against.
        var groups = await LoadGroupsAsync();
        for (var step = 0; step < MaxPlanSteps; step++)
        {
            var now = time.GetUtcNow();
            var current = state.State;
            switch (ActionPlanner.Plan(current, groups.Found, _options.OutcomeCheckDelay, _options.MaxRepeats, now))
            {
                case StartRun start:
                    await StartRunAsync(start, now);
                    break;
                case SubmitNotices:
                    await SubmitNoticesAsync(groups, now);
                    break;
                case CheckOutcomes check:
                    await CheckOutcomesAsync(check.MessageIds, now);
                    break;
                case CompleteRun complete:
                    CompleteRun(complete.TimedOut, now);
                    break;
                case EnterRetry retry:
                    await UpdateStatusAsync(ActionStatus.Running, ActionStatus.Retrying, current.CurrentRun!.FailureType, s => s.NextRetryAt = retry.At);
                    break;
                case EnterSleep:
                    await UpdateStatusAsync(ActionStatus.Running, ActionStatus.Sleep, null);
                    break;
                case EnterWaiting waiting:
                    await UpdateStatusAsync(current.Status, ActionStatus.Waiting, null, s => s.WaitingUntil = waiting.Until);
                    break;
                case SkipRun skip:
                    await SkipRunAsync(skip, now);
                    break;
                case Finish finish:
                    await UpdateStatusAsync(current.Status, finish.Status, finish.FailureType, s => s.NextRetryAt = null);
                    await Wakeups.ClearAsync();
                    await SchedulePurgeAsync();
                    return;
                case WaitUntil wait:
                    await SaveIfUnsavedAsync();
                    var leaves = wait.At - now > _options.DeactivateWhenAsleepLongerThan;
                    if (await Wakeups.SetAsync(wait.Ticket, wait.At, staysActive: !leaves) && leaves)
                    {
                        DeactivateOnIdle();
                    }

                    return;
                default:
                    await SaveIfUnsavedAsync();
                    return;
            }
        }

        LogPlanLoop(ActionId, MaxPlanSteps);
        await SaveIfUnsavedAsync();
    }

    /// <summary>
    /// The one door for status changes: refuses when the instance is not in <paramref name="from"/> or the change is not
    /// in the transition table, applies <paramref name="changes"/> and writes everything in one store write.
    /// </summary>
    private async Task UpdateStatusAsync(ActionStatus from, ActionStatus to, FailureType? failureType, Action<ActionInstanceState>? changes = null)
    {
        var current = state.State;
        if (ActionTransitions.Refusal(current.Status, from, to) is { } refusal)
        {
            throw new InvalidOperationException($"action {ActionId}: {refusal}");
        }

        var now = time.GetUtcNow();
        changes?.Invoke(current);
        current.Status = to;
        current.FailureType = failureType;
        current.UpdatedAt = now;
        if (to.IsEnd())
        {
            current.EndTime = now;
        }

        await SaveAsync();
        LogTransition(ActionId, from.WireName(), to.WireName(), failureType?.WireName() ?? "");
    }

    private Task StartRunAsync(StartRun start, DateTimeOffset now)
    {
        var run = state.State.NewRun(start, now);
        return UpdateStatusAsync(state.State.Status, ActionStatus.Running, null, s => s.BeginRun(run));
    }

    /// <summary>One message per notice way, through the normal send path; the message ids are written before any outcome is awaited.</summary>
    private async Task SubmitNoticesAsync(UserGroups groups, DateTimeOffset now)
    {
        var request = state.State.Request!;
        var run = state.State.CurrentRun!;
        var awaiting = run.Ways.Where(w => w.AwaitsSubmit).Select(w => (State: w, Way: NoticeWay.Parse(w.NoticeWay))).ToList();
        var audience = NoticeAudience.Resolve(request.NotifyConfig, groups.Found, state.State.CurrentAlert.Level, run.Step, now);
        var listener = this.GetGrainId().ToString();
        var notify = GrainFactory.GetGrain<INotifyGrain>(0);

        // Rendered from the alert as it is now (bk-monitor's notify(step, need_update_context=True)).
        var rendered = state.State.CurrentAlert;

        foreach (var (way, noticeWay) in awaiting)
        {
            var receivers = noticeWay.IsRobot ? [noticeWay.ChatId] : audience.ReceiversFor(noticeWay);
            if (receivers.Count == 0)
            {
                FailWay(way, groups.DescribeNoReceivers(), now);
                continue;
            }

            if (receivers.Count > _options.MaxReceiversPerWay)
            {
                FailWay(way, ActionQuotas.TooManyReceivers(receivers.Count, _options), now);
                continue;
            }

            RenderedNotice notice;
            try
            {
                notice = await renderer.RenderAsync(ActionNoticeContext.ForCurrentRun(state.State, noticeWay), CancellationToken.None);
            }
            catch (Exception exception)
            {
                LogRenderFailed(exception, ActionId, way.Reference);
                FailWay(way, $"not rendered: {exception.Message}", now);
                way.RenderFailed = true;
                continue;
            }

            try
            {
                var message = ActionNoticeMessages.Build(notice, noticeWay, receivers, Owner, way.Reference, listener, request.NotifyConfig.FrequencyLimit, rendered, ActionId);
                var submitted = await notify.SubmitAsync(message, ActionNoticeMessages.RequestId(way.Reference));
                way.MessageId = submitted.MessageId;
                way.SubmittedAt = now;
                await ChargeOwnerAsync(receivers.Count, submitted.Replayed);
            }
            catch (Exception exception)
            {
                LogSubmitFailed(exception, ActionId, way.Reference);
                FailWay(way, $"not submitted: {exception.Message}", now);
            }
        }

        if (run.Step == NotifyStep.Abnormal)
        {
            state.State.RecordRendered(rendered);
        }

        await SaveAsync();
    }

    /// <summary>Asks messages whose completion is overdue for their record (the completion call is best effort).</summary>
    private async Task CheckOutcomesAsync(IReadOnlyList<string> messageIds, DateTimeOffset now)
    {
        var run = state.State.CurrentRun!;
        foreach (var messageId in messageIds)
        {
            var way = run.Ways.First(w => w.MessageId == messageId);
            way.CheckedAt = now;
            try
            {
                var record = await GrainFactory.GetGrain<IMessageGrain>(messageId).GetAsync();
                if (record is null)
                {
                    FailWay(way, $"message {messageId} has no record", now);
                }
                else if (record.Status.IsFinal())
                {
                    NoticeOutcomes.Apply(way, MessageCompletion.From(record), now);
                }
            }
            catch (Exception exception)
            {
                LogCheckFailed(exception, ActionId, messageId);
            }
        }

        _unsaved = true;
    }

    /// <summary>A repeat with nothing new: recorded as a skipped run in one write; the instance sleeps on to the next.</summary>
    private async Task SkipRunAsync(SkipRun skip, DateTimeOffset now)
    {
        var from = state.State.Status;
        if (from == ActionStatus.Sleep)
        {
            state.State.SkipRun(skip, now);
            state.State.UpdatedAt = now;
            await SaveAsync();
        }
        else
        {
            await UpdateStatusAsync(from, ActionStatus.Sleep, null, s => s.SkipRun(skip, now));
        }

        LogRunSkipped(ActionId, skip.Ticket.ExecuteTimes, skip.Reason);
    }

    /// <summary>Records the run's aggregated outcome; the transition that follows writes it.</summary>
    private void CompleteRun(bool timedOut, DateTimeOffset now)
    {
        var run = state.State.CompleteRun(timedOut, now);
        _unsaved = true;
        LogRunCompleted(ActionId, run.Step.WireName(), run.ExecuteTimes, run.RetryTimes, run.Outcome!.Value.WireName(), run.FailureType?.WireName() ?? "");
    }

    private async Task<ActionInstanceView> StopAsync(ActionSignal signal, AlertStatus alertStatus)
    {
        var current = EnsureOpen();
        if (current.Stop is { } stop)
        {
            return stop.Signal == signal
                ? View()
                : throw NotifyRequestException.Conflict("signal", $"action {ActionId} is already stopping: it was told {stop.Signal.ToString().ToLowerInvariant()} at {stop.At:O}");
        }

        var now = time.GetUtcNow();
        current.Stop = new ActionStop { Signal = signal, At = now };
        current.AlertStatus = alertStatus;
        current.UpdatedAt = now;
        _unsaved = true;
        LogSignal(ActionId, signal);
        await AdvanceAsync();
        return View();
    }

    private async Task<ActionInstanceView> SetShieldedAsync(bool shielded)
    {
        var current = EnsureOpen();
        if (current.Shielded != shielded)
        {
            current.Shielded = shielded;
            current.UpdatedAt = time.GetUtcNow();
            await SaveAsync();
            LogShielded(ActionId, shielded);
        }

        return View();
    }

    private ActionInstanceState EnsureOpen()
    {
        var current = state.State;
        if (current.Request is null || IsExpired)
        {
            throw NotifyRequestException.NotFound("actionId", $"action {ActionId} does not exist");
        }

        return current.Status.IsEnd()
            ? throw NotifyRequestException.Conflict("status", $"action {ActionId} has finished ({current.Status.WireName()}); it takes no more signals")
            : current;
    }

    private async Task<IReadOnlyList<UserGroup>> EnsureUserGroupsExistAsync(IReadOnlyList<string> groupIds)
    {
        var groups = await Task.WhenAll(groupIds.Select(id => GrainFactory.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(id)).GetAsync()));
        var missing = groupIds
            .Select((id, i) => (id, i))
            .Where(g => groups[g.i] is null)
            .Select(g => new FieldError($"notifyConfig.userGroups[{g.i}]", $"user group '{g.id}' does not exist"))
            .ToList();
        if (missing.Count > 0)
        {
            DeactivateOnIdle();
            throw NotifyRequestException.Invalid(missing);
        }

        return groups!;
    }

    /// <summary>The instance's user groups as they are now; a group deleted since creation is logged and left out.</summary>
    private async Task<UserGroups> LoadGroupsAsync()
    {
        var groupIds = state.State.Request?.NotifyConfig.UserGroups ?? [];
        var groups = await Task.WhenAll(groupIds.Select(id => GrainFactory.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(id)).GetAsync()));
        var missing = groupIds.Where((_, i) => groups[i] is null).ToArray();
        if (missing.Length > 0)
        {
            LogMissingGroups(ActionId, string.Join(", ", missing));
        }

        return new UserGroups(groups.OfType<UserGroup>().ToArray(), missing);
    }

    /// <summary>
    /// A notice's deliveries count against the owner's budget, the one its key's requests take from
    /// (<c>GatewayRateLimits</c>). A notice is never held back for it (an alert is not dropped): the budget goes into
    /// debt, and the owner's own requests wait until it is paid. A resubmitted notice (replayed) was charged already.
    /// </summary>
    private async Task ChargeOwnerAsync(int deliveries, bool replayed)
    {
        if (replayed)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IProviderLimiterGrain>(GrainKeys.SourceLimiter(Owner)).ChargeAsync(deliveries);
        }
        catch (Exception exception)
        {
            // The notice is accepted; a charge lost with its limiter grain is a few deliveries the owner is not billed for.
            LogChargeFailed(exception, ActionId, deliveries);
        }
    }

    private static void FailWay(NoticeWayState way, string error, DateTimeOffset now)
    {
        way.Status = NoticeWayStatus.Failed;
        way.Error = error;
        way.CompletedAt = now;
    }

    private static NoticeWayState? FindWay(ActionInstanceState current, MessageCompletion completion)
    {
        for (var i = current.Runs.Count - 1; i >= 0; i--)
        {
            if (current.Runs[i].Ways.FirstOrDefault(w => w.MessageId == completion.MessageId) is { } way)
            {
                return way;
            }
        }

        // Submitted by an activation that stopped before it wrote the message id down.
        var orphan = current.CurrentRun?.Ways.FirstOrDefault(w => w.MessageId is null && w.Reference == completion.Reference);
        orphan?.MessageId = completion.MessageId;
        return orphan;
    }

    private bool IsExpired => ActionRetention.IsExpired(state.State, _options.FinishedRetention, time.GetUtcNow());

    /// <summary>Registers the reminder that purges this finished instance when its retention has passed.</summary>
    private async Task SchedulePurgeAsync()
    {
        if (ActionRetention.PurgeAt(state.State, _options.FinishedRetention) is not { } at)
        {
            return;
        }

        var dueIn = at - time.GetUtcNow();
        try
        {
            await this.RegisterOrUpdateReminder(PurgeReminder, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, PurgePeriod(dueIn));
        }
        catch (Exception exception)
        {
            // The instance is still hidden once expired, and a later leftover tick or read purges it.
            LogPurgeScheduleFailed(exception, ActionId);
        }
    }

    /// <summary>
    /// After the first tick, the reminder ticks again a day later (or at the minimum period, whichever is longer) until
    /// the purge is done, so a purge that failed, or a tick that came early by the clock, is tried again.
    /// </summary>
    private TimeSpan PurgePeriod(TimeSpan dueIn)
    {
        var minimum = reminderOptions.Value.MinimumReminderPeriod;
        var period = dueIn < TimeSpan.FromDays(1) ? TimeSpan.FromMinutes(10) : TimeSpan.FromDays(1);
        return period > minimum ? period : minimum;
    }

    private async Task OnPurgeReminderAsync()
    {
        if (state.State.Request is null || !state.State.Status.IsEnd())
        {
            // Never purges an open instance; a purge reminder on one (or on nothing) is a leftover.
            await Wakeups.RemoveReminderAsync(PurgeReminder);
            return;
        }

        if (IsExpired)
        {
            await PurgeAsync();
            DeactivateOnIdle();
        }
    }

    /// <summary>Deletes the finished instance: its list entry, its stored state, then every reminder it has.</summary>
    private async Task PurgeAsync()
    {
        var listKey = ActionListEntry.From(View()).ListKey;
        var endTime = state.State.EndTime;
        await GrainFactory.GetGrain<IActionIndexGrain>(ActionKeys.IndexShard(ActionId)).RemoveAsync(listKey);
        await state.ClearStateAsync();
        await Wakeups.ClearAsync();
        LogPurged(ActionId, endTime);
    }

    private ActionInstanceView View() => state.State.ToView(Owner, ActionId, ActionPlanner.NextNotifyTime(state.State));

    private async Task SaveAsync()
    {
        await state.WriteOrDeactivateAsync(this);
        _unsaved = false;
        await GrainFactory.GetGrain<IActionIndexGrain>(ActionKeys.IndexShard(ActionId)).UpsertAsync(ActionListEntry.From(View()));
    }

    private Task SaveIfUnsavedAsync() => _unsaved ? SaveAsync() : Task.CompletedTask;

    private sealed record UserGroups(IReadOnlyList<UserGroup> Found, IReadOnlyList<string> MissingGroups)
    {
        public string DescribeNoReceivers() => MissingGroups.Count > 0
            ? $"no receivers: user group(s) {string.Join(", ", MissingGroups)} no longer exist and the others have no one for this way"
            : "no receivers: no user group has anyone for this way (members, or the shift on duty)";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: purged (finished at {EndTime})")]
    private partial void LogPurged(string actionId, DateTimeOffset? endTime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: the purge reminder could not be registered")]
    private partial void LogPurgeScheduleFailed(Exception exception, string actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: could not charge {Deliveries} notice deliveries to its owner's rate limit")]
    private partial void LogChargeFailed(Exception exception, string actionId, int deliveries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId} created for alert {AlertId}")]
    private partial void LogCreated(string actionId, string alertId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: {From} → {To} {FailureType}")]
    private partial void LogTransition(string actionId, string from, string to, string failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: {Step} run {ExecuteTimes}.{RetryTimes} ended {Outcome} {FailureType}")]
    private partial void LogRunCompleted(string actionId, string step, int executeTimes, int retryTimes, string outcome, string failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: signal {Signal}")]
    private partial void LogSignal(string actionId, ActionSignal signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: shielded = {Shielded}")]
    private partial void LogShielded(string actionId, bool shielded);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Action {ActionId}: ignored wake-up {Wake}: {Why}")]
    private partial void LogStaleWake(string actionId, string wake, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: alert updated (level {Level}, latest anomaly {AnomalyTime}, {EventCount} events)")]
    private partial void LogAlertUpdated(string actionId, int level, DateTimeOffset anomalyTime, int eventCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: repeat {ExecuteTimes} skipped: {Reason}")]
    private partial void LogRunSkipped(string actionId, int executeTimes, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {ActionId}: rendering {Reference} failed")]
    private partial void LogRenderFailed(Exception exception, string actionId, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: submitting {Reference} failed")]
    private partial void LogSubmitFailed(Exception exception, string actionId, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: asking message {MessageId} for its outcome failed; will ask again")]
    private partial void LogCheckFailed(Exception exception, string actionId, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: completion of message {MessageId} ({Reference}) matches no notice")]
    private partial void LogUnknownCompletion(string actionId, string messageId, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: user group(s) {Groups} no longer exist")]
    private partial void LogMissingGroups(string actionId, string groups);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {ActionId}: the plan did not settle within {Steps} steps; the next wake-up continues")]
    private partial void LogPlanLoop(string actionId, int steps);
}
