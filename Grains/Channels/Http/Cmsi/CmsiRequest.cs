using System.Text.Json.Serialization;

namespace Notify.Grains.Channels.Http.Cmsi;

/// <summary>The fields every CMSI API takes; each channel's request adds its own.</summary>
internal abstract record CmsiRequest
{
    protected CmsiRequest(CmsiCredentials credentials)
    {
        AppCode = credentials.AppCode;
        AppSecret = credentials.AppSecret;
        Username = credentials.Username;
    }

    [JsonPropertyName("bk_app_code")]
    public string? AppCode { get; }

    [JsonPropertyName("bk_app_secret")]
    public string? AppSecret { get; }

    [JsonPropertyName("bk_username")]
    public string? Username { get; }
}
