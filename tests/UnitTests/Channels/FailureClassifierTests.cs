using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Email;
using Notify.Grains.Channels.Http;

namespace Notify.UnitTests.Channels;

/// <summary>Each transport's classifier, and the one retry policy they share (<see cref="FailureRules"/>).</summary>
public sealed class FailureClassifierTests
{
    public static TheoryData<Exception, FailureKind> SmtpExceptions => new()
    {
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy, "busy"), FailureKind.Transient },
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user"), FailureKind.Permanent },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "rejected"), FailureKind.Permanent },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ServiceNotAvailable, "closing"), FailureKind.Transient },
        { new AuthenticationException("535 bad credentials"), FailureKind.Permanent },
        { new SmtpProtocolException("connection dropped mid-DATA"), FailureKind.Transient },
        { new SocketException((int)SocketError.ConnectionRefused), FailureKind.Transient },
        { new IOException("reset"), FailureKind.Transient },
        { new TimeoutException(), FailureKind.Transient },
        { new OperationCanceledException(), FailureKind.Transient },
        { new AggregateException(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "rejected")), FailureKind.Permanent },
        { new InvalidOperationException("surprise"), FailureKind.Transient },
    };

    public static TheoryData<Exception, FailureKind> HttpExceptions => new()
    {
        { new HttpRequestException("refused"), FailureKind.Transient },
        { new HttpRequestException("bad", null, HttpStatusCode.BadRequest), FailureKind.Permanent },
        { new HttpRequestException("down", null, HttpStatusCode.BadGateway), FailureKind.Transient },
        { new ProviderHttpException(429, "slow down", TimeSpan.FromSeconds(7)), FailureKind.Transient },
        { new ProviderHttpException(408, "timeout"), FailureKind.Transient },
        { new ProviderHttpException(503, "maintenance"), FailureKind.Transient },
        { new ProviderHttpException(404, "no such endpoint"), FailureKind.Permanent },
        { new ProviderErrorException("45009", "api freq out of limit", transient: true), FailureKind.Transient },
        { new ProviderErrorException("81013", "invalid user", transient: false), FailureKind.Permanent },
        { new AggregateException(new ProviderHttpException(400, "bad")), FailureKind.Permanent },
        { new SocketException((int)SocketError.ConnectionRefused), FailureKind.Transient },
        { new TimeoutException(), FailureKind.Transient },
        { new InvalidOperationException("surprise"), FailureKind.Transient },
    };

    /// <summary>Where the SMTP send failed: before the end of DATA clean, after it (the reply lost) unknown.</summary>
    public static TheoryData<Exception, FailureKind, bool> SmtpExceptionsByStage => new()
    {
        { new SmtpProtocolException("The SMTP server has unexpectedly disconnected."), FailureKind.Transient, false },
        { new AnswerLostException(new SmtpProtocolException("The SMTP server has unexpectedly disconnected.")), FailureKind.Transient, true },
        { new IOException("reset"), FailureKind.Transient, false },
        { new AnswerLostException(new IOException("reset")), FailureKind.Transient, true },
        { new AnswerLostException(new TimeoutException()), FailureKind.Transient, true },
        { new AnswerLostException(new OperationCanceledException()), FailureKind.Transient, true },
        { new SocketException((int)SocketError.ConnectionRefused), FailureKind.Transient, false },
        { new AuthenticationException("535 bad credentials"), FailureKind.Permanent, false },
        { new AnswerLostException(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "rejected")), FailureKind.Permanent, false },
        { new AnswerLostException(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "later")), FailureKind.Transient, false },
    };

    /// <summary>Where the HTTP request failed: before its body was sent clean, after it (no answer) unknown.</summary>
    public static TheoryData<Exception, FailureKind, bool> HttpExceptionsByStage => new()
    {
        { new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)), FailureKind.Transient, false },
        { new HttpRequestException("No such host is known", new SocketException((int)SocketError.HostNotFound)), FailureKind.Transient, false },
        { new HttpRequestException("The SSL connection could not be established"), FailureKind.Transient, false },
        { new TimeoutException("CMSI send_sms timed out after 500 ms"), FailureKind.Transient, false },
        { new AnswerLostException(new TimeoutException("CMSI send_sms timed out after 500 ms")), FailureKind.Transient, true },
        { new AnswerLostException(new HttpRequestException("The response ended prematurely.")), FailureKind.Transient, true },
        { new AnswerLostException(new IOException("reset")), FailureKind.Transient, true },
        { new AnswerLostException(new OperationCanceledException()), FailureKind.Transient, true },
        { new AnswerLostException(new ProviderHttpException(503, "maintenance")), FailureKind.Transient, false },
        { new AnswerLostException(new ProviderErrorException("81013", "invalid user", transient: false)), FailureKind.Permanent, false },
    };

    [Theory]
    [MemberData(nameof(SmtpExceptionsByStage))]
    public void SmtpClassify_ByStage_GivesKindAndWhetherTheOutcomeIsUnknown(Exception exception, FailureKind kind, bool unknown)
    {
        var failure = SmtpFailureClassifier.Classify(exception);
        Assert.Equal((kind, unknown), (failure.Kind, failure.OutcomeUnknown));
    }

    [Theory]
    [MemberData(nameof(HttpExceptionsByStage))]
    public void HttpClassify_ByStage_GivesKindAndWhetherTheOutcomeIsUnknown(Exception exception, FailureKind kind, bool unknown)
    {
        var failure = HttpFailureClassifier.Classify(exception);
        Assert.Equal((kind, unknown), (failure.Kind, failure.OutcomeUnknown));
    }

    [Fact]
    public void SmtpClassify_LostReply_KeepsWhatBroke() =>
        Assert.Equal(
            "outcome unknown, sent but no answer: SMTP protocol error: The SMTP server has unexpectedly disconnected.",
            SmtpFailureClassifier.Classify(new AnswerLostException(new SmtpProtocolException("The SMTP server has unexpectedly disconnected."))).Error);

    public static TheoryData<SendFailure, bool, FailureKind> UnknownOutcomePolicies => new()
    {
        { SendFailure.Unknown("no answer"), true, FailureKind.Transient },
        { SendFailure.Unknown("no answer"), false, FailureKind.Permanent },
        { SendFailure.Transient("421"), false, FailureKind.Transient },
        { SendFailure.Permanent("550"), true, FailureKind.Permanent },
    };

    [Theory]
    [MemberData(nameof(UnknownOutcomePolicies))]
    public void ApplyUnknownOutcomePolicy_Failure_RetriedOnlyWhenAllowed(SendFailure failure, bool retryUnknownOutcome, FailureKind expected)
    {
        var applied = FailureRules.ApplyUnknownOutcomePolicy(failure, retryUnknownOutcome);
        Assert.Equal((expected, failure.OutcomeUnknown), (applied.Kind, applied.OutcomeUnknown));
    }

    [Theory]
    [MemberData(nameof(SmtpExceptions))]
    public void SmtpClassify_Exception_GivesKind(Exception exception, FailureKind expected) =>
        Assert.Equal(expected, SmtpFailureClassifier.Classify(exception).Kind);

    [Theory]
    [MemberData(nameof(HttpExceptions))]
    public void HttpClassify_Exception_GivesKind(Exception exception, FailureKind expected) =>
        Assert.Equal(expected, HttpFailureClassifier.Classify(exception).Kind);

    [Fact]
    public void HttpClassify_RetryAfter_IsKept() =>
        Assert.Equal(TimeSpan.FromSeconds(7), HttpFailureClassifier.Classify(new ProviderHttpException(429, "slow down", TimeSpan.FromSeconds(7))).RetryAfter);

    [Fact]
    public void SmtpClassify_RecipientError_NamesTheMailbox()
    {
        var exception = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, new MimeKit.MailboxAddress("", "bob@example.com"), "no such user");
        Assert.Equal("SMTP 550 for bob@example.com: no such user", SmtpFailureClassifier.Classify(exception).Error);
    }

    [Theory]
    [InlineData(400, FailureKind.Permanent)]
    [InlineData(401, FailureKind.Permanent)]
    [InlineData(408, FailureKind.Transient)]
    [InlineData(429, FailureKind.Transient)]
    [InlineData(500, FailureKind.Transient)]
    [InlineData(599, FailureKind.Transient)]
    public void ForHttpStatus_Status_GivesKind(int status, FailureKind expected) =>
        Assert.Equal(expected, FailureRules.ForHttpStatus(status, "x", null).Kind);

    [Theory]
    [InlineData(421, FailureKind.Transient)]
    [InlineData(451, FailureKind.Transient)]
    [InlineData(550, FailureKind.Permanent)]
    [InlineData(554, FailureKind.Permanent)]
    public void ForSmtpStatus_Code_GivesKind(int code, FailureKind expected) =>
        Assert.Equal(expected, FailureRules.ForSmtpStatus(code, "x").Kind);
}
