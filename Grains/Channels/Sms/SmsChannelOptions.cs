using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Sms;

/// <summary>SMS through a CMSI gateway's <c>send_sms</c> (<c>Channels:Sms</c>); on when <c>BaseUrl</c> is set.</summary>
public sealed class SmsChannelOptions : CmsiChannelOptions
{
    public const string SectionName = "Channels:Sms";

    internal override string Section => SectionName;
}
