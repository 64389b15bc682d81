namespace Notify.IntegrationTests.Infrastructure.HttpProviders;

/// <summary>The paths <see cref="HttpProviderTestServer"/> answers, as the real providers spell them.</summary>
public static class HttpProviderPaths
{
    public const string WecomGetToken = "/cgi-bin/gettoken";
    public const string WecomMessageSend = "/cgi-bin/message/send";
    public const string RobotWebhook = "/cgi-bin/webhook/send";
    public const string RobotUpload = "/cgi-bin/webhook/upload_media";
    public const string CmsiSendSms = "/api/c/compapi/cmsi/send_sms/";
    public const string CmsiSendVoice = "/api/c/compapi/cmsi/send_voice_msg/";
    public const string CmsiSendWeixin = "/api/c/compapi/cmsi/send_weixin/";
}
