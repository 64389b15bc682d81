namespace Notify.Grains.Channels.Email;

/// <summary>
/// The SMTP session stayed plaintext (the server offered no STARTTLS) and credentials are configured: the password is
/// not sent. Permanent: the same server answers the same way until it or the settings change.
/// </summary>
public sealed class PlaintextAuthRefusedException(string message) : Exception(message);
