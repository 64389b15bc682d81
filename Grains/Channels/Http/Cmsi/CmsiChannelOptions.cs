namespace Notify.Grains.Channels.Http.Cmsi;

/// <summary>
/// A channel sent through a BlueKing CMSI gateway (<c>/api/c/compapi/cmsi/…</c>), as bk-monitor does for
/// WeChat, SMS and voice. Each channel has its own section, so each may use a different gateway or app.
/// </summary>
public abstract class CmsiChannelOptions : HttpChannelOptions
{
    /// <summary>The gateway root, e.g. <c>https://paas.example.com</c>. Setting it turns the channel on.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary><c>bk_app_code</c>: the calling app.</summary>
    public string AppCode { get; set; } = "";

    /// <summary><c>bk_app_secret</c>: never logged, never written to the outbox.</summary>
    public string AppSecret { get; set; } = "";

    /// <summary><c>bk_username</c>, for apps on the gateway's login-exempt list; omitted when empty.</summary>
    public string Username { get; set; } = "";

    /// <summary>The configuration section, so start-up messages name the full key.</summary>
    internal abstract string Section { get; }

    internal CmsiCredentials Credentials => new(Blank(AppCode), Blank(AppSecret), Blank(Username));

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
