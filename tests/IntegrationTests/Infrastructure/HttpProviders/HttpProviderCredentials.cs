namespace Notify.IntegrationTests.Infrastructure.HttpProviders;

/// <summary>
/// The credentials <see cref="HttpProviderTestServer"/> accepts. The secrets are distinctive strings so that a test
/// can assert they appear nowhere (exception messages, logs, outbox files).
/// </summary>
public static class HttpProviderCredentials
{
    public const string CorpId = "ww-test-corp";
    public const string CorpSecret = "corp-secret-Q7xK2p";
    public const int AgentId = 1000002;
    public const string AppCode = "notify-test";
    public const string AppSecret = "app-secret-M4vR8c";
    public const string Username = "admin";
    public const string RobotKey = "robot-key-Z3nW6t";

    /// <summary>A second robot's key, for <c>Channels:Wework:Robots:&lt;name&gt;:Key</c>.</summary>
    public const string OtherRobotKey = "robot-key-other-H8pL1d";

    /// <summary>Every value that must never leave the process in clear text. Access tokens are checked separately.</summary>
    public static IReadOnlyList<string> Secrets { get; } = [CorpSecret, AppSecret, RobotKey, OtherRobotKey];
}
