namespace Notify.Grains.Abstractions.Messages;

[GenerateSerializer, Alias("notify.EmailFormat")]
public enum EmailFormat
{
    Text = 0,
    Html = 1,
}

/// <summary>WeCom group robot message type (<c>msgtype</c>).</summary>
[GenerateSerializer, Alias("notify.RobotTextType")]
public enum RobotTextType
{
    Text = 0,
    Markdown = 1,
}
