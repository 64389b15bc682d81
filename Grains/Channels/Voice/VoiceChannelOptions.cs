using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Voice;

/// <summary>Voice calls through a CMSI gateway's <c>send_voice_msg</c> (<c>Channels:Voice</c>); on when <c>BaseUrl</c> is set.</summary>
public sealed class VoiceChannelOptions : CmsiChannelOptions
{
    public const string SectionName = "Channels:Voice";

    internal override string Section => SectionName;
}
