// The generated send requests all carry BK-CI's BaseMessage fields (1-8 in notify.proto); this interface lets one
// mapper read them. It lives in the generated code's namespace because partial classes must.
namespace Notify.Api.V1;

public interface ISendRequest
{
    string Source { get; }

    string Sender { get; }

    int Priority { get; }

    int FrequencyLimit { get; }

    string FromSysId { get; }

    string TofSysId { get; }

    int DelaySeconds { get; }

    string RequestId { get; }
}

public sealed partial class SendEmailRequest : ISendRequest;

public sealed partial class SendRtxRequest : ISendRequest;

public sealed partial class SendWechatRequest : ISendRequest;

public sealed partial class SendSmsRequest : ISendRequest;

public sealed partial class SendVoiceRequest : ISendRequest;

public sealed partial class SendWeworkRequest : ISendRequest;
