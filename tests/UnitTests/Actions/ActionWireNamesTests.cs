using Notify.Grains.Abstractions.Actions;

namespace Notify.UnitTests.Actions;

public sealed class ActionWireNamesTests
{
    [Theory]
    [InlineData(ActionStatus.Received, "received")]
    [InlineData(ActionStatus.Sleep, "sleep")]
    [InlineData(ActionStatus.Retrying, "retrying")]
    [InlineData(ActionStatus.PartialSuccess, "partial_success")]
    [InlineData(ActionStatus.PartialFailure, "partial_failure")]
    [InlineData(ActionStatus.Shield, "shield")]
    public void WireName_ActionStatus_IsBkMonitorsValue(ActionStatus status, string name) => Assert.Equal(name, status.WireName());

    [Theory]
    [InlineData(FailureType.FrameworkCodeFailure, "framework_code_failure")]
    [InlineData(FailureType.Timeout, "timeout")]
    [InlineData(FailureType.ExecuteFailure, "execute_failure")]
    [InlineData(FailureType.CreateFailure, "create_failure")]
    public void WireName_FailureType_IsBkMonitorsValue(FailureType type, string name) => Assert.Equal(name, type.WireName());

    [Fact]
    public void WireName_EveryValueOfEveryEnum_HasOneAndParsesBack()
    {
        Assert.All(Enum.GetValues<ActionStatus>(), v => Assert.True(ActionWireNames.TryParse(v.WireName(), out ActionStatus back) && back == v));
        Assert.All(Enum.GetValues<AlertStatus>(), v => Assert.True(ActionWireNames.TryParse(v.WireName(), out AlertStatus back) && back == v));
        Assert.All(Enum.GetValues<IntervalNotifyMode>(), v => Assert.True(ActionWireNames.TryParse(v.WireName(), out IntervalNotifyMode back) && back == v));
        Assert.All(Enum.GetValues<NotifyStep>(), v => Assert.True(ActionWireNames.TryParse(v.WireName(), out NotifyStep back) && back == v));
        Assert.Equal(Enum.GetValues<FailureType>().Length, Enum.GetValues<FailureType>().Select(v => v.WireName()).Distinct().Count());
        Assert.Equal(Enum.GetValues<NoticeWayStatus>().Length, Enum.GetValues<NoticeWayStatus>().Select(v => v.WireName()).Distinct().Count());
    }

    [Theory]
    [InlineData("ABNORMAL", AlertStatus.Abnormal)]
    [InlineData("recovered", AlertStatus.Recovered)]
    [InlineData(" Closed ", AlertStatus.Closed)]
    public void TryParse_AlertStatus_IgnoresCaseAndPadding(string text, AlertStatus expected)
    {
        Assert.True(ActionWireNames.TryParse(text, out AlertStatus status));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("exponential")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownMode_IsFalse(string? text) =>
        Assert.False(ActionWireNames.TryParse(text, out IntervalNotifyMode _));

    [Theory]
    [InlineData("execute_success", NotifyStep.ExecuteSuccess)]
    [InlineData("ack", NotifyStep.Ack)]
    public void TryParse_Step_ReadsBkMonitorsNames(string text, NotifyStep expected)
    {
        Assert.True(ActionWireNames.TryParse(text, out NotifyStep step));
        Assert.Equal(expected, step);
    }
}
