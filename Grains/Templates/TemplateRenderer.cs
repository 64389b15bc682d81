using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Fluid;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>A template part that cannot be rendered (sandbox limit hit, empty result, a filter failing on its input).</summary>
public sealed class TemplateRenderException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

/// <summary>A template that cannot be parsed, and where.</summary>
public sealed record TemplateSyntaxError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

/// <summary>A template part that cannot be parsed.</summary>
public sealed class TemplateSyntaxException(TemplateSyntaxError error) : Exception(error.ToString())
{
    public TemplateSyntaxError Error { get; } = error;
}

/// <summary>One parsed title or body: BK-CI placeholders translated, checked, parsed once, safe to render from several threads.</summary>
public sealed class CompiledTemplate
{
    internal CompiledTemplate(IFluidTemplate? parsed, string literal)
    {
        Parsed = parsed;
        Literal = literal;
    }

    /// <summary>Null for text without any Liquid (rendered as <see cref="Literal"/>, no engine needed).</summary>
    internal IFluidTemplate? Parsed { get; }

    internal string Literal { get; }
}

/// <summary>Text a template part rendered to, and the variables it looked up.</summary>
public sealed record RenderedText(string Text, IReadOnlySet<string> Used, IReadOnlySet<string> Missing);

/// <summary>The compiled parts of one stored template version.</summary>
public sealed record CompiledTemplateSet(IReadOnlyDictionary<NotifyChannel, (CompiledTemplate Title, CompiledTemplate Body)> Channels);

/// <summary>
/// Renders templates (a silo-wide singleton). Sources are translated and parsed once and cached: parts by a hash of their
/// source, whole templates by code, version and update time — an update makes a new key, so nothing stale is ever served;
/// the caches are bounded and simply start over when full.
/// </summary>
public sealed class TemplateRenderer
{
    public const int PartCacheCapacity = 4_096;
    public const int TemplateCacheCapacity = 1_024;

    private readonly ConcurrentDictionary<string, CompiledTemplate> _parts = new(StringComparer.Ordinal);
    private static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    private readonly ConcurrentDictionary<TemplateVersion, CompiledTemplateSet> _templates = new();

    /// <summary>Parses <paramref name="source"/> (cached).</summary>
    /// <exception cref="TemplateSyntaxException">It does not parse, with the line and column.</exception>
    public CompiledTemplate Compile(string source)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
        if (_parts.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var compiled = CompileUncached(source);
        AddBounded(_parts, key, compiled, PartCacheCapacity);
        return compiled;
    }

    /// <summary>Parses without the cache (for measuring first-parse cost).</summary>
    public static CompiledTemplate CompileUncached(string source)
    {
        if (!source.Contains('{'))
        {
            return new CompiledTemplate(null, source);
        }

        var (parsed, error) = TemplateEngine.Parse(source);
        return error is null ? new CompiledTemplate(parsed, source) : throw new TemplateSyntaxException(error);
    }

    /// <summary>The compiled parts of <paramref name="record"/> (cached per code, version and update time).</summary>
    public CompiledTemplateSet Compile(TemplateRecord record)
    {
        var key = new TemplateVersion(record.Template.TemplateCode, record.Version, record.UpdatedAt.UtcTicks);
        if (_templates.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var channels = new Dictionary<NotifyChannel, (CompiledTemplate, CompiledTemplate)>();
        foreach (var content in record.Template.Contents)
        {
            var body = content.Channel == NotifyChannel.Wework && content.MarkdownBody.Length > 0 ? content.MarkdownBody : content.Body;
            channels[content.Channel] = (Compile(content.Title), Compile(body));
        }

        var set = new CompiledTemplateSet(channels);
        AddBounded(_templates, key, set, TemplateCacheCapacity);
        return set;
    }

    /// <summary>
    /// Renders one part. Missing variables render empty and are reported. With <paramref name="htmlEscape"/> every parameter
    /// value is HTML-escaped (Liquid <c>escape</c>) before the template sees it, so no parameter can inject markup.
    /// </summary>
    /// <exception cref="TemplateRenderException">A sandbox limit was hit or a filter failed; <paramref name="field"/> names the part.</exception>
    public static RenderedText Render(CompiledTemplate template, IReadOnlyDictionary<string, string> parameters, bool htmlEscape, string field) =>
        Render(template, parameters, NoParameters, htmlEscape, field);

    /// <summary>Renders one part with <paramref name="parameters"/> looked up first and <paramref name="fallback"/> second.</summary>
    private static RenderedText Render(CompiledTemplate template, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, string> fallback, bool htmlEscape, string field)
    {
        if (template.Parsed is null)
        {
            return new RenderedText(template.Literal, new HashSet<string>(), new HashSet<string>());
        }

        var variables = new TemplateParameters(parameters, fallback, htmlEscape);
        string text;
        try
        {
            text = TemplateEngine.Render(template.Parsed, variables);
        }
        catch (Exception exception) when (Describe(exception) is { } reason)
        {
            throw new TemplateRenderException(field, reason);
        }

        return new RenderedText(text, variables.Used, variables.Missing);
    }

    /// <summary>
    /// Renders <paramref name="channel"/>'s title and body and fits them to the channel. The title sees title parameters first,
    /// then body parameters; the body the other way round (BK-CI callers often put a name used in both into only one map).
    /// </summary>
    public RenderedContent RenderChannel(TemplateRecord record, NotifyChannel channel, IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams)
    {
        var content = record.Template.ContentFor(channel)
            ?? throw new TemplateRenderException("notifyType", $"template {record.Template.TemplateCode} has no content for {channel.Name()}");
        var (title, body) = Compile(record).Channels[channel];
        var html = channel == NotifyChannel.Email && content.Format == EmailFormat.Html;
        var markdown = channel == NotifyChannel.Wework && content.MarkdownBody.Length > 0;

        var fields = FieldNames[channel];
        var renderedTitle = Render(title, titleParams, bodyParams, htmlEscape: false, fields.Title);
        var renderedBody = Render(body, bodyParams, titleParams, html, markdown ? fields.MarkdownBody : fields.Body);
        var fitted = ChannelContentLimits.Fit(channel, renderedTitle.Text, renderedBody.Text, content.Format, markdown ? RobotTextType.Markdown : RobotTextType.Text);
        return fitted with
        {
            VariablesUsed = renderedTitle.Used.Union(renderedBody.Used).Order(StringComparer.Ordinal).ToArray(),
            MissingVariables = renderedTitle.Missing.Union(renderedBody.Missing).Order(StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>The names a render failure reports, made once rather than on every render.</summary>
    private static readonly Dictionary<NotifyChannel, (string Title, string Body, string MarkdownBody)> FieldNames =
        Enum.GetValues<NotifyChannel>().ToDictionary(c => c, c => ($"{c.Name()}.title", $"{c.Name()}.body", $"{c.Name()}.markdownBody"));

    /// <summary>What a failed render tells the caller: a limit, or a filter refusing its input (Fluid's filters throw plain .NET exceptions).</summary>
    private static string? Describe(Exception exception) => exception switch
    {
        RenderLimitExceededException => exception.Message,
        FormatException or InvalidCastException or OverflowException or ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException => exception.Message,
        _ => null,
    };

    private static void AddBounded<TKey, T>(ConcurrentDictionary<TKey, T> cache, TKey key, T value, int capacity)
        where TKey : notnull
    {
        if (cache.Count >= capacity)
        {
            cache.Clear();
        }

        cache[key] = value;
    }
}

/// <summary>
/// What a parsed template is cached by: its code and version (unique, as versions keep counting across delete and re-create),
/// and its update time, a guard for records not written by a template grain. A struct, so a cached render allocates no key.
/// </summary>
internal readonly record struct TemplateVersion(string Code, long Version, long UpdatedAtTicks);
