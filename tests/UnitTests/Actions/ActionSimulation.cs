using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using Notify.Grains.Scheduling;

namespace Notify.UnitTests.Actions;

/// <summary>
/// Drives <see cref="ActionPlanner"/> the way the grain does — carry out each plan on the state, sleep a fake clock through
/// waits — with the message pipeline replaced by an answer per submitted way. Every status change is checked against
/// <see cref="ActionTransitions"/>, so any scenario also proves the planner never asks for a refused transition.
/// </summary>
internal sealed class ActionSimulation
{
    private int _messages;

    public ActionSimulation(CreateActionRequest request)
    {
        State = new ActionInstanceState
        {
            Request = ActionRequestValidator.EnsureValid(request),
            Status = ActionStatus.Received,
            CreatedAt = Start,
            UpdatedAt = Start,
        };
    }

    public static DateTimeOffset Start { get; } = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public ActionInstanceState State { get; }

    public TimeSpan CheckDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Notify:Actions:MaxRepeats; the default value is the option's.</summary>
    public int MaxRepeats { get; init; } = new Grains.Actions.ActionOptions().MaxRepeats;

    /// <summary>Ways that never become a message: their notice fails to render, or their submit is refused.</summary>
    public Func<NoticeRunState, NotSubmitted?> FailBeforeSubmit { get; set; } = _ => null;

    /// <summary>How a submitted way ends; null leaves its message pending (never final).</summary>
    public Func<NoticeRunState, NoticeWayStatus?> Answer { get; set; } = _ => NoticeWayStatus.Sent;

    /// <summary>Every run started: when (seconds after <see cref="Start"/>), which step, which ticket.</summary>
    public List<(double Second, NotifyStep Step, WakeTicket Ticket)> Starts { get; } = [];

    public List<string> Checked { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The instance's user groups as the grain would load them: "ops" with one member and no rules, unless a test says otherwise.</summary>
    public List<UserGroup> Groups { get; } = [new UserGroup { GroupId = "ops", Name = "ops", Members = ["alice"] }];

    public ActionPlan Plan() => ActionPlanner.Plan(State, Groups, CheckDelay, MaxRepeats, Now);

    /// <summary>Carries out plans, sleeping through waits that end before <paramref name="secondsAfterStart"/>; stops at the first later wait or at the end.</summary>
    public ActionPlan RunUntil(double secondsAfterStart)
    {
        var until = Start.AddSeconds(secondsAfterStart);
        for (var i = 0; i < 10_000; i++)
        {
            var plan = Plan();
            switch (plan)
            {
                case Idle:
                    return plan;
                case WaitUntil wait when wait.At > until:
                    Clock.SetUtcNow(until);
                    return plan;
                case WaitUntil wait:
                    Clock.SetUtcNow(wait.At);
                    break;
                default:
                    Apply(plan);
                    break;
            }
        }

        throw new InvalidOperationException("the plan never settled");
    }

    public void Apply(ActionPlan plan)
    {
        var now = Now;
        switch (plan)
        {
            case StartRun start:
                var run = State.NewRun(start, now);
                Move(ActionStatus.Running, null, () => State.BeginRun(run));
                Starts.Add(((now - Start).TotalSeconds, start.Step, start.Ticket));
                break;
            case SubmitNotices:
                var current = State.CurrentRun!;
                Rendered.Add(current.Ways.Where(w => w.AwaitsSubmit).Select(w => ActionNoticeContext.ForCurrentRun(State, NoticeWay.Parse(w.NoticeWay))).ToList());
                if (current.Step == NotifyStep.Abnormal)
                {
                    State.RecordRendered(State.CurrentAlert);
                }

                foreach (var way in current.Ways.Where(w => w.AwaitsSubmit))
                {
                    if (FailBeforeSubmit(current) is { } failure)
                    {
                        way.Status = NoticeWayStatus.Failed;
                        way.RenderFailed = failure == NotSubmitted.RenderFailed;
                        way.CompletedAt = now;
                        continue;
                    }

                    way.MessageId = $"msg_{++_messages}";
                    way.SubmittedAt = now;
                    if (Answer(current) is { } status)
                    {
                        way.Status = status;
                        way.CompletedAt = now;
                    }
                }

                break;
            case CheckOutcomes check:
                foreach (var id in check.MessageIds)
                {
                    State.CurrentRun!.Ways.Single(w => w.MessageId == id).CheckedAt = now;
                    Checked.Add(id);
                }

                break;
            case CompleteRun complete:
                State.CompleteRun(complete.TimedOut, now);
                break;
            case EnterRetry retry:
                Move(ActionStatus.Retrying, State.CurrentRun!.FailureType, () => State.NextRetryAt = retry.At);
                break;
            case EnterSleep:
                Move(ActionStatus.Sleep, null);
                break;
            case EnterWaiting waiting:
                Move(ActionStatus.Waiting, null, () => State.WaitingUntil = waiting.Until);
                break;
            case SkipRun skip:
                Skips.Add(((now - Start).TotalSeconds, skip.Reason));
                if (State.Status == ActionStatus.Sleep)
                {
                    State.SkipRun(skip, now);
                }
                else
                {
                    Move(ActionStatus.Sleep, null, () => State.SkipRun(skip, now));
                }

                break;
            case Finish finish:
                Move(finish.Status, finish.FailureType);
                break;
            default:
                throw new InvalidOperationException($"{plan} is not carried out");
        }
    }

    /// <summary>Every repeat recorded as skipped: when, and why.</summary>
    public List<(double Second, string Reason)> Skips { get; } = [];

    /// <summary>The contexts the notices of each submitted run were rendered from, in order.</summary>
    public List<List<ActionNoticeContext>> Rendered { get; } = [];

    /// <summary>Every status the instance passed through, in order.</summary>
    public List<ActionStatus> Statuses { get; } = [ActionStatus.Received];

    public void Signal(ActionSignal signal) =>
        State.Stop = new ActionStop { Signal = signal, At = Now };

    /// <summary>What <c>UpdateAlertAsync</c> does to the state.</summary>
    public void Update(ActionAlertUpdate update)
    {
        State.Alert = ActionRequestValidator.EnsureValid(update).ApplyTo(State.Alert ?? State.Request!.Alert);
        State.UpdatedAt = Now;
    }

    private void Move(ActionStatus to, FailureType? failureType, Action? change = null)
    {
        Assert.True(ActionTransitions.IsAllowed(State.Status, to), $"the planner asked for {State.Status} → {to}");
        change?.Invoke();
        if (to != State.Status)
        {
            Statuses.Add(to);
        }

        State.Status = to;
        State.FailureType = failureType;
    }
}

/// <summary>How a way of <see cref="ActionSimulation"/> fails before it becomes a message.</summary>
public enum NotSubmitted
{
    RenderFailed,
    SubmitRefused,
}
