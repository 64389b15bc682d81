using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;
using Spectre.Console;

namespace Notify.Client.Cli;

/// <summary>
/// Templates as the CLI prints them. The JSON uses the template endpoints' shapes (channel names upper-case, priority a
/// number), so <c>templates get --json</c> is a file <c>templates update --file</c> takes back.
/// </summary>
internal sealed partial class CliOutput
{
    public void Templates(IReadOnlyList<TemplateSummary> templates) => Write(
        templates.Select(t => new { t.TemplateCode, t.TemplateName, NotifyTypeScope = t.NotifyTypeScope.Select(ChannelNames.Name).ToArray(), t.Version, t.UpdatedAt, t.BuiltIn }).ToArray(),
        () =>
        {
            var table = NewTable("code", "name", "channels", "version", "updated", "built-in");
            foreach (var template in templates)
            {
                AddRow(table, template.TemplateCode, template.TemplateName, string.Join(", ", template.NotifyTypeScope.Select(ChannelNames.Name)),
                    $"{template.Version}", $"{template.UpdatedAt:u}", template.BuiltIn ? "yes" : "no");
            }

            _console.Write(table);
            _output.WriteLine($"{templates.Count} templates");
        });

    public void Template(TemplateRecord record) => Write(TemplateDocument.From(record), () =>
    {
        var template = record.Template;
        var fields = new Grid().AddColumn().AddColumn();
        AddField(fields, "code", template.TemplateCode);
        AddField(fields, "name", template.TemplateName);
        AddField(fields, "channels", string.Join(", ", template.NotifyTypeScope.Select(ChannelNames.Name)));
        AddField(fields, "priority", template.Priority.ToString().ToLowerInvariant());
        AddField(fields, "source", template.Source);
        AddField(fields, "required params", string.Join(", ", template.RequiredParams));
        AddField(fields, "version", $"{record.Version}");
        AddField(fields, "updated", $"{record.UpdatedAt:u}");
        AddField(fields, "built-in", record.BuiltIn ? "yes" : "no");
        _console.Write(fields);
        foreach (var content in template.Contents)
        {
            _output.WriteLine();
            _output.WriteLine($"── {ChannelNames.Name(content.Channel)}{(content.Channel == NotifyChannel.Email ? $" ({content.Format.ToString().ToUpperInvariant()})" : "")}");
            WriteText("title", content.Title);
            WriteText("body", content.Body);
            WriteText("markdown body", content.MarkdownBody);
        }
    });

    /// <summary>What an admin call changed, e.g. "created BUILD_X (version 1)".</summary>
    public void TemplateChanged(string change, TemplateRecord record) => Write(TemplateDocument.From(record), () =>
        _output.WriteLine($"{change} {record.Template.TemplateCode} (version {record.Version})"));

    public void Preview(TemplatePreview preview) => Write(
        new
        {
            preview.TemplateCode,
            preview.Version,
            Channels = preview.Channels.Select(c => new
            {
                Channel = ChannelNames.Name(c.Channel),
                c.Title,
                c.Body,
                Format = c.Format.ToString().ToUpperInvariant(),
                TextType = c.TextType.ToString().ToUpperInvariant(),
                c.Adjustments,
                c.VariablesUsed,
                c.MissingVariables,
            }).ToArray(),
            preview.VariablesUsed,
            preview.MissingVariables,
            preview.MissingRequiredParams,
        },
        () =>
        {
            _output.WriteLine($"{preview.TemplateCode} version {preview.Version}");
            foreach (var content in preview.Channels)
            {
                _output.WriteLine();
                _output.WriteLine($"── {ChannelNames.Name(content.Channel)}");
                WriteText("title", content.Title);
                WriteText("body", content.Body);
                if (content.Adjustments.Count > 0)
                {
                    WriteList("adjusted", content.Adjustments);
                }
            }

            _output.WriteLine();
            WriteList("variables used", preview.VariablesUsed);
            WriteList("missing variables", preview.MissingVariables);
            WriteList("missing required params", preview.MissingRequiredParams);
        });

    public void TemplateSent(TemplateSendResult result) => Write(
        new
        {
            result.TemplateCode,
            Messages = result.Channels.Select(c => new { Channel = ChannelNames.Name(c.Channel), c.MessageId, c.Replayed, c.Adjustments, c.MissingVariables }).ToArray(),
        },
        () =>
        {
            foreach (var sent in result.Channels)
            {
                var missing = sent.MissingVariables.Count > 0 ? $"; missing variables: {string.Join(", ", sent.MissingVariables)}" : "";
                _output.WriteLine($"{(sent.Replayed ? "already accepted as" : "accepted")} {sent.MessageId} ({ChannelNames.Name(sent.Channel)}){missing}");
            }
        });

    /// <summary>A possibly multi-line text under its label; nothing for an empty one.</summary>
    private void WriteText(string label, string text)
    {
        if (text.Length > 0)
        {
            _output.WriteLine($"{label}:");
            _output.WriteLine(text);
        }
    }

    private void WriteList(string label, IReadOnlyList<string> items) =>
        _output.WriteLine($"{label}: {(items.Count == 0 ? "none" : string.Join(", ", items))}");
}
