using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Http;
using Notify.Grains.Telemetry;

namespace Notify.UnitTests.Channels;

public sealed class ChannelDispatcherTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A transport whose sends wait for the test to open the gate, and which records the order they started in.</summary>
    private sealed class GatedTransport(int maxConcurrency = 1, ChannelRateLimit? rateLimit = null, Exception? failWith = null, int permitsPerDelivery = 1) : IChannelTransport
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Started { get; } = new();

        public SemaphoreSlim StartedSignal { get; } = new(0);

        public NotifyChannel Channel => NotifyChannel.Email;

        public string Name => "gated";

        public int MaxConcurrency { get; } = maxConcurrency;

        public ChannelRateLimit? RateLimit { get; } = rateLimit;

        public void Open() => _gate.TrySetResult();

        public int PermitsFor(ChannelDelivery delivery) => permitsPerDelivery;

        public SendFailure Classify(Exception exception) => HttpFailureClassifier.Classify(exception);

        public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
        {
            Started.Enqueue(delivery.MessageId);
            StartedSignal.Release();
            await _gate.Task.WaitAsync(cancellationToken);
            return failWith is null ? DeliveryResult.AllDelivered(delivery.Recipients) : throw failWith;
        }
    }

    private static ChannelDelivery Delivery(string id, NotifyPriority priority = NotifyPriority.Normal, string source = "ci") => new(
        id,
        1,
        new NotifyMessage { Channel = NotifyChannel.Email, Receivers = ["a@example.com"], Title = "t", Body = "b", Priority = priority, Source = source },
        [new DeliveryRecipient("a@example.com", "a@example.com", RecipientKind.To)]);

    /// <summary>A dispatcher with the library's token bucket standing in for the cluster-wide lease (tested on its own).</summary>
    private static ChannelDispatcher Dispatcher(
        IChannelTransport transport, TimeSpan? maxQueueWait = null, Action<TimeSpan>? onRetryAfter = null, ChannelSendMetrics? metrics = null) =>
        new(transport, BucketFor(transport.RateLimit), onRetryAfter, maxQueueWait ?? TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30), TimeProvider.System, NullLogger.Instance, metrics);

    private static TokenBucketRateLimiter? BucketFor(ChannelRateLimit? limit) => limit is null ? null : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = limit.Permits,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = limit.Period / limit.Permits,
        QueueLimit = int.MaxValue,
        AutoReplenishment = true,
    });

    [Fact]
    public async Task EnqueueAsync_HighPriority_IsSentBeforeWaitingNormalAndLow()
    {
        var transport = new GatedTransport();
        await using var dispatcher = Dispatcher(transport);
        var first = dispatcher.EnqueueAsync(Delivery("busy", NotifyPriority.Low));
        Assert.True(await transport.StartedSignal.WaitAsync(Wait, Ct));

        var rest = new[]
        {
            dispatcher.EnqueueAsync(Delivery("low", NotifyPriority.Low)),
            dispatcher.EnqueueAsync(Delivery("normal", NotifyPriority.Normal)),
            dispatcher.EnqueueAsync(Delivery("high", NotifyPriority.High)),
            dispatcher.EnqueueAsync(Delivery("normal-2", NotifyPriority.Normal)),
        };
        transport.Open();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Wait, Ct);

        Assert.Equal(["busy", "high", "normal", "normal-2", "low"], transport.Started);
    }

    [Fact]
    public async Task EnqueueAsync_OneSourceFloodsAPriority_OtherSourcesTakeTurnsWithIt()
    {
        var transport = new GatedTransport();
        await using var dispatcher = Dispatcher(transport);
        var first = dispatcher.EnqueueAsync(Delivery("busy", NotifyPriority.High, "flood"));
        Assert.True(await transport.StartedSignal.WaitAsync(Wait, Ct));

        var rest = new List<Task<DeliveryResult>>();
        for (var i = 1; i <= 4; i++)
        {
            rest.Add(dispatcher.EnqueueAsync(Delivery($"flood-{i}", NotifyPriority.High, "flood")));
        }

        rest.Add(dispatcher.EnqueueAsync(Delivery("ci-1", NotifyPriority.High, "ci")));
        rest.Add(dispatcher.EnqueueAsync(Delivery("monitor-1", NotifyPriority.High, "monitor")));
        rest.Add(dispatcher.EnqueueAsync(Delivery("ci-2", NotifyPriority.High, "ci")));
        transport.Open();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Wait, Ct);

        Assert.Equal(["busy", "flood-1", "ci-1", "monitor-1", "flood-2", "ci-2", "flood-3", "flood-4"], transport.Started);
    }

    [Fact]
    public async Task EnqueueAsync_ProviderAsksToWait_TheCredentialIsToldHowLong()
    {
        var transport = new GatedTransport(failWith: new ProviderHttpException(429, "slow down", TimeSpan.FromSeconds(42)));
        transport.Open();
        var pauses = new ConcurrentQueue<TimeSpan>();
        await using var dispatcher = Dispatcher(transport, onRetryAfter: pauses.Enqueue);

        var result = await dispatcher.EnqueueAsync(Delivery("m")).WaitAsync(Wait, Ct);

        Assert.Equal(TimeSpan.FromSeconds(42), result.Recipients.Single().Failure?.RetryAfter);
        Assert.Equal([TimeSpan.FromSeconds(42)], pauses);
    }

    [Fact]
    public async Task EnqueueAsync_RateLimit_HoldsSendsBeyondTheBucket()
    {
        var transport = new GatedTransport(maxConcurrency: 4, rateLimit: new ChannelRateLimit(2, TimeSpan.FromMinutes(1), "test"));
        transport.Open();
        await using var dispatcher = Dispatcher(transport);
        var sends = Enumerable.Range(0, 4).Select(i => dispatcher.EnqueueAsync(Delivery($"m{i}"))).ToArray();

        await Task.WhenAll(sends.Take(2)).WaitAsync(Wait, Ct);

        // Proving an absence needs a pause: the bucket refills one token per 30 s, so nothing more may start.
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.Equal(2, transport.Started.Count);
        Assert.Equal(2, dispatcher.QueueLength);
    }

    [Fact]
    public async Task EnqueueAsync_DeliveryOfSeveralRequests_TakesAsManyTokens()
    {
        // A robot message split in three parts is three of the provider's quota, not one.
        var transport = new GatedTransport(maxConcurrency: 4, rateLimit: new ChannelRateLimit(4, TimeSpan.FromMinutes(1), "test"), permitsPerDelivery: 3);
        transport.Open();
        await using var dispatcher = Dispatcher(transport);
        var first = dispatcher.EnqueueAsync(Delivery("three-parts"));
        await first.WaitAsync(Wait, Ct);
        _ = dispatcher.EnqueueAsync(Delivery("also-three-parts"));

        // Proving an absence needs a pause: one token is left and the next refills in 15 s.
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.Equal(["three-parts"], transport.Started);
    }

    [Fact]
    public async Task EnqueueAsync_WaitingPastTheQueueLimit_IsATransientFailure()
    {
        var transport = new GatedTransport();
        await using var dispatcher = Dispatcher(transport, maxQueueWait: TimeSpan.FromMilliseconds(100));
        var first = dispatcher.EnqueueAsync(Delivery("first"));
        Assert.True(await transport.StartedSignal.WaitAsync(Wait, Ct));
        var second = dispatcher.EnqueueAsync(Delivery("second"));
        await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        transport.Open();

        Assert.True((await first.WaitAsync(Wait, Ct)).Recipients.Single().Delivered);
        var failure = (await second.WaitAsync(Wait, Ct)).Recipients.Single().Failure;
        Assert.Equal(FailureKind.Transient, failure?.Kind);
        Assert.Contains("waited more than", failure?.Error);
        Assert.Equal(["first"], transport.Started);
    }

    [Fact]
    public async Task EnqueueAsync_TransportThrows_EveryRecipientGetsTheClassifiedFailure()
    {
        var transport = new GatedTransport(failWith: new ProviderHttpException(400, "bad request"));
        transport.Open();
        await using var dispatcher = Dispatcher(transport);
        var result = await dispatcher.EnqueueAsync(Delivery("m")).WaitAsync(Wait, Ct);
        Assert.Equal(FailureKind.Permanent, result.Recipients.Single().Failure?.Kind);
    }

    [Fact]
    public async Task DisposeAsync_AnswersWaitingDeliveries_AndFinishesTheOneInFlight()
    {
        var transport = new GatedTransport();
        var dispatcher = Dispatcher(transport);
        var inFlight = dispatcher.EnqueueAsync(Delivery("in-flight"));
        Assert.True(await transport.StartedSignal.WaitAsync(Wait, Ct));
        var waiting = dispatcher.EnqueueAsync(Delivery("waiting"));

        var disposing = dispatcher.DisposeAsync().AsTask();
        transport.Open();
        await disposing.WaitAsync(Wait, Ct);

        Assert.True((await inFlight).Recipients.Single().Delivered);
        Assert.Contains("stopped", (await waiting).Recipients.Single().Failure?.Error);
    }

    [Fact]
    public async Task DisposeAsync_SendThatNeverAnswersUnderAClockThatNeverMoves_IsCancelledAfterOneSendTimeout()
    {
        var transport = new GatedTransport();
        var dispatcher = new ChannelDispatcher(
            transport, null, null, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200), new FakeTimeProvider(), NullLogger.Instance, null);
        var inFlight = dispatcher.EnqueueAsync(Delivery("stuck"));
        Assert.True(await transport.StartedSignal.WaitAsync(Wait, Ct));

        await dispatcher.DisposeAsync().AsTask().WaitAsync(Wait, Ct);

        Assert.False((await inFlight.WaitAsync(Wait, Ct)).Recipients.Single().Delivered);
    }

    [Fact]
    public async Task DrainAsync_WaitingAndLaterDeliveries_AreHandedBackAtOnceWhileTheOneInFlightFinishes()
    {
        var transport = new GatedTransport();
        await using var dispatcher = Dispatcher(transport);
        var inFlight = dispatcher.EnqueueAsync(Delivery("in-flight"));
        Assert.True(await transport.StartedSignal.WaitAsync(Wait, Ct));
        var waiting = dispatcher.EnqueueAsync(Delivery("waiting"));

        var draining = dispatcher.DrainAsync(Ct);
        var handedBack = await waiting.WaitAsync(Wait, Ct);
        var later = await dispatcher.EnqueueAsync(Delivery("later")).WaitAsync(Wait, Ct);
        Assert.False(draining.IsCompleted);
        transport.Open();
        await draining.WaitAsync(Wait, Ct);

        Assert.True((await inFlight).Recipients.Single().Delivered);
        Assert.All([handedBack, later], result =>
        {
            var failure = result.Recipients.Single().Failure;
            Assert.Equal(FailureKind.Transient, failure?.Kind);
            Assert.Contains("shutting down", failure?.Error);
        });
        Assert.Equal(["in-flight"], transport.Started);
    }

    [Theory]
    [InlineData(null, SendOutcomes.Sent)]
    [InlineData(503, SendOutcomes.Transient)]
    [InlineData(400, SendOutcomes.Permanent)]
    public async Task EnqueueAsync_Send_RecordsProviderLatencyByChannelProviderAndOutcome(int? status, string outcome)
    {
        using var recorded = new RecordedMetrics();
        var transport = new GatedTransport(failWith: status is { } code ? new ProviderHttpException(code, "provider said no") : null);
        transport.Open();
        await using var dispatcher = Dispatcher(transport, metrics: recorded.Metrics.ForChannel(NotifyChannel.Email, transport.Name));

        await dispatcher.EnqueueAsync(Delivery("m")).WaitAsync(Wait, Ct);

        var send = Assert.Single(recorded.Of("notify.provider.send.duration"));
        Assert.Equal([("channel", "email"), ("outcome", outcome), ("provider", "gated")], send.Tags);
        Assert.InRange(send.Value, 0, Wait.TotalSeconds);
    }

    [Fact]
    public async Task EnqueueAsync_AnswerLost_RecordsAnUnknownOutcomeAndCountsIt()
    {
        using var recorded = new RecordedMetrics();
        var transport = new GatedTransport(failWith: new AnswerLostException(new IOException("connection reset")));
        transport.Open();
        await using var dispatcher = Dispatcher(transport, metrics: recorded.Metrics.ForChannel(NotifyChannel.Email, transport.Name));

        await dispatcher.EnqueueAsync(Delivery("m")).WaitAsync(Wait, Ct);

        Assert.Equal([("channel", "email"), ("outcome", "unknown"), ("provider", "gated")], Assert.Single(recorded.Of("notify.provider.send.duration")).Tags);
        Assert.Equal([("channel", "email"), ("provider", "gated")], Assert.Single(recorded.Of("notify.deliveries.unknown_outcome")).Tags);
    }

    [Fact]
    public async Task EnqueueAsync_RateLimited_RecordsEachSendsWaitForPermits()
    {
        using var recorded = new RecordedMetrics();
        var transport = new GatedTransport(maxConcurrency: 2, rateLimit: new ChannelRateLimit(10, TimeSpan.FromMinutes(1), "test"));
        transport.Open();
        await using var dispatcher = Dispatcher(transport, metrics: recorded.Metrics.ForChannel(NotifyChannel.Email, transport.Name));

        await Task.WhenAll(dispatcher.EnqueueAsync(Delivery("m1")), dispatcher.EnqueueAsync(Delivery("m2"))).WaitAsync(Wait, Ct);

        var waits = recorded.Of("notify.rate_limit.wait.duration");
        Assert.Equal(2, waits.Length);
        Assert.All(waits, wait => Assert.Equal([("channel", "email"), ("provider", "gated")], wait.Tags));
    }

    [Fact]
    public async Task QueueLengthAndInFlight_WhileASendIsOnTheWire_CountWhatIsWaitingAndWhatIsSending()
    {
        var transport = new GatedTransport();
        await using var dispatcher = Dispatcher(transport);
        var sending = dispatcher.EnqueueAsync(Delivery("sending"));
        Assert.True(await transport.StartedSignal.WaitAsync(Wait, Ct));
        var waiting = dispatcher.EnqueueAsync(Delivery("waiting"));

        Assert.Equal((1, 1), (dispatcher.InFlight, dispatcher.QueueLength));
        transport.Open();
        await Task.WhenAll(sending, waiting).WaitAsync(Wait, Ct);
        Assert.Equal((0, 0), (dispatcher.InFlight, dispatcher.QueueLength));
    }

    /// <summary>What a fresh <see cref="NotifyMetrics"/> records, and nothing another test's meter does.</summary>
    private sealed class RecordedMetrics : IDisposable
    {
        private readonly MeterFactory _factory = new();
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, (string, string?)[] Tags)> _measurements = new();

        public RecordedMetrics()
        {
            Metrics = new NotifyMetrics(_factory);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (_factory.Made.Contains(instrument.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public NotifyMetrics Metrics { get; }

        public (double Value, (string, string?)[] Tags)[] Of(string instrument) =>
            _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToArray();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _measurements.Enqueue((instrument.Name, value, tags.ToArray().Select(t => (t.Key, t.Value?.ToString())).OrderBy(t => t.Key).ToArray()));

        public void Dispose()
        {
            _listener.Dispose();
            _factory.Dispose();
        }

        private sealed class MeterFactory : IMeterFactory
        {
            public ConcurrentBag<Meter> Made { get; } = [];

            public Meter Create(MeterOptions options)
            {
                var meter = new Meter(options);
                Made.Add(meter);
                return meter;
            }

            public void Dispose()
            {
                foreach (var meter in Made)
                {
                    meter.Dispose();
                }
            }
        }
    }
}
