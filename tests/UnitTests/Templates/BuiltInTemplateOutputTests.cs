using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

/// <summary>
/// Every built-in template, on every channel it has, renders exactly what the recorded fixture says: title, body, format,
/// adjustments and the variables used and missing, byte for byte. The fixture was recorded from the previous engine before
/// templates moved to Fluid (docs/decisions.md), so the engine change cannot alter what BK-CI users receive. After an intended change to a
/// built-in, run with <c>NOTIFY_RECORD_FIXTURES=1</c> to record it again, and review the diff.
/// </summary>
public sealed class BuiltInTemplateOutputTests
{
    private const string FixtureName = "built-in-outputs.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Readable Chinese and markup in the fixture; the strings still round-trip exactly.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Values with markup, quotes, ampersands and CJK, so escaping is pinned too.</summary>
    private static readonly Dictionary<string, string> Full = new(StringComparer.Ordinal)
    {
        ["projectName"] = "demo-项目",
        ["pipelineName"] = "release <main> & \"hotfix\" 'x'",
        ["userName"] = "alice",
        ["buildNum"] = "1024",
        ["triggerUser"] = "bob&co",
        ["duration"] = "5分钟",
        ["status"] = "部分成功",
        ["ruleName"] = "覆盖率 > 80%",
        ["interceptReason"] = "coverage 61% < 80%",
        ["url"] = "https://ci.example.com/p?a=1&b=<2>",
        ["applicant"] = "carol",
        ["permission"] = "pipeline:edit",
        ["reason"] = "需要 <发布> 权限",
        ["alertName"] = "CPU 使用率 > 90%",
        ["alertLevel"] = "1",
        ["alertContent"] = "host-1 \"cpu\" = 97% & rising",
        ["beginTime"] = "2024-05-01 08:00:00Z",
        ["alertId"] = "a-42",
        ["noticeTimes"] = "3",
    };

    /// <summary>Long values (with emoji, two UTF-16 units each) so truncation to each channel's limit is pinned.</summary>
    private static readonly Dictionary<string, string> Long = Repeated(30);

    /// <summary>Long enough to pass the chat channels' body limits too (used on one template, to keep the fixture small).</summary>
    private static readonly Dictionary<string, string> Huge = Repeated(400);

    private static Dictionary<string, string> Repeated(int times) => Full.ToDictionary(
        p => p.Key,
        p => p.Key is "reason" or "noticeTimes" ? p.Value : string.Concat(Enumerable.Repeat(p.Value + "😀", times)),
        StringComparer.Ordinal);

    private static IEnumerable<(string Case, NotifyTemplate Template, NotifyChannel Channel, Dictionary<string, string> Title, Dictionary<string, string> Body)> Cases()
    {
        var empty = new Dictionary<string, string>(StringComparer.Ordinal);
        var titleOnly = new Dictionary<string, string>(StringComparer.Ordinal) { ["projectName"] = "title-project", ["status"] = "title-status" };
        var bodyOnly = new Dictionary<string, string>(StringComparer.Ordinal) { ["projectName"] = "body-project", ["userName"] = "body-user", ["alertName"] = "body-alert" };
        foreach (var template in BuiltInTemplates.All)
        {
            foreach (var content in template.Contents)
            {
                var channel = content.Channel;
                var name = $"{template.TemplateCode}/{channel.Name()}";
                yield return ($"{name}/full", template, channel, Full, Full);
                yield return ($"{name}/none", template, channel, empty, empty);
                yield return ($"{name}/split", template, channel, titleOnly, bodyOnly);
                yield return ($"{name}/long", template, channel, Long, Long);
                if (template.TemplateCode == "BUILD_SUCCESS" && channel != NotifyChannel.Email)
                {
                    yield return ($"{name}/huge", template, channel, Huge, Huge);
                }

                if (template.TemplateCode == BuiltInTemplates.ActionNotice)
                {
                    foreach (var reason in BuiltInTemplates.NoticeReasons.Append("unknown"))
                    {
                        var parameters = new Dictionary<string, string>(Full, StringComparer.Ordinal) { ["reason"] = reason };
                        yield return ($"{name}/reason={reason}", template, channel, parameters, parameters);
                    }
                }
            }
        }
    }

    private static SortedDictionary<string, RecordedOutput> RenderAll()
    {
        var renderer = new TemplateRenderer();
        var outputs = new SortedDictionary<string, RecordedOutput>(StringComparer.Ordinal);
        foreach (var (name, template, channel, title, body) in Cases())
        {
            var record = new TemplateRecord(template, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, BuiltIn: true);
            var rendered = renderer.RenderChannel(record, channel, title, body);
            outputs[name] = new RecordedOutput(rendered.Title, rendered.Body, rendered.Format.ToString(), rendered.TextType.ToString(), rendered.Adjustments, rendered.VariablesUsed, rendered.MissingVariables);
        }

        return outputs;
    }

    [Fact]
    public void BuiltIns_RenderExactlyAsRecorded()
    {
        var actual = RenderAll();
        if (Environment.GetEnvironmentVariable("NOTIFY_RECORD_FIXTURES") == "1")
        {
            File.WriteAllText(SourceFixturePath(), JsonSerializer.Serialize(actual, Json) + "\n");
        }

        var expected = JsonSerializer.Deserialize<SortedDictionary<string, RecordedOutput>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Templates", "Fixtures", FixtureName)))!;
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, output) in expected)
        {
            var got = actual[name];
            Assert.True(output.Title == got.Title, $"{name}: title\nexpected: {output.Title}\nactual:   {got.Title}");
            Assert.True(output.Body == got.Body, $"{name}: body\nexpected: {output.Body}\nactual:   {got.Body}");
            Assert.True(output.Format == got.Format && output.TextType == got.TextType, $"{name}: format {got.Format}/{got.TextType}");
            Assert.True(output.Adjustments.SequenceEqual(got.Adjustments), $"{name}: adjustments\nexpected: {string.Join(" | ", output.Adjustments)}\nactual:   {string.Join(" | ", got.Adjustments)}");
            Assert.True(output.VariablesUsed.SequenceEqual(got.VariablesUsed), $"{name}: used {string.Join(",", got.VariablesUsed)}");
            Assert.True(output.MissingVariables.SequenceEqual(got.MissingVariables), $"{name}: missing {string.Join(",", got.MissingVariables)}");
        }
    }

    private static string SourceFixturePath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Fixtures", FixtureName);

    public sealed record RecordedOutput(
        string Title,
        string Body,
        string Format,
        string TextType,
        IReadOnlyList<string> Adjustments,
        IReadOnlyList<string> VariablesUsed,
        IReadOnlyList<string> MissingVariables);
}
