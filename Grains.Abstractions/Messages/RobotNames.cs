using System.Text.RegularExpressions;

namespace Notify.Grains.Abstractions.Messages;

/// <summary>
/// The names of configured WeCom robots (<c>Channels:Wework:Robots:&lt;name&gt;</c>) that a message's <c>robot</c>
/// field picks. A name is a configuration key and a rate-limit lane, never the key itself, so it is safe to echo.
/// </summary>
public static partial class RobotNames
{
    public const string Pattern = "[A-Za-z0-9][A-Za-z0-9_-]{0,31}";

    [GeneratedRegex("^" + Pattern + "$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static bool IsValid(string name) => NamePattern().IsMatch(name);
}
