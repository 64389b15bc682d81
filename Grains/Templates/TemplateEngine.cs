using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Parser;
using Fluid.Values;
using Notify.Grains.Abstractions.Templates;
using Parlot.Fluent;

namespace Notify.Grains.Templates;

/// <summary>
/// Fluid, set up for notification templates. One parser and two option sets (text, HTML) for the whole process: Fluid
/// parses into immutable trees that any number of threads render at once, each render with its own context.
/// <para>Fluid's own fences are used: <c>MaxSteps</c> (statements a render may execute), <c>MaxRecursion</c> (nested
/// loop scopes), no file system (the <c>include</c> and <c>render</c> tags are removed from the grammar, not merely left
/// without files), and a model that is our own value exposing the parameters and nothing else (no CLR object, so the
/// member access strategy has nothing to reach). What Fluid does not bound is bounded here: every filter checks the
/// render's clock before it runs and the size of what it returns, ranges are capped, and <c>capture</c> and
/// <c>ifchanged</c> (which render into buffers of their own) are replaced by versions writing into bounded buffers.
/// Fluid's parser and renderer recurse once per nesting level, so <see cref="TemplateSourceLimits"/> refuses deep nesting
/// before anything is parsed: a stack overflow would end the silo.</para>
/// </summary>
internal static partial class TemplateEngine
{
    /// <summary>The tag a BK-CI placeholder (<c>${name}</c>, <c>#{name}</c>) is translated into: a flat parameter lookup.</summary>
    public const string PlaceholderTag = "placeholder";

    /// <summary>Tags Liquid dialects know that notification templates may not use (files, layouts, the multi-statement tag).</summary>
    private static readonly HashSet<string> DisallowedTags = ["include", "render", "liquid", "layout", "extends", "block", "section"];

    private static readonly FluidParser Parser = CreateParser();
    private static readonly TemplateOptions TextOptions = CreateOptions(htmlEscaped: false);
    private static readonly TemplateOptions HtmlOptions = CreateOptions(htmlEscaped: true);

    /// <summary>The filter names templates may use.</summary>
    public static IReadOnlySet<string> KnownFilters { get; } = TextOptions.Filters.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^(?<message>.*) at \((?<line>\d+):(?<column>\d+)\)", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex PositionedMessage();

    [GeneratedRegex(@"^Unknown tag '(?<tag>[^']*)'$", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownTag();

    [GeneratedRegex(@"^'\{% end(?<block>\w+) %\}' was expected$", RegexOptions.CultureInvariant)]
    private static partial Regex EndTagExpected();

    /// <summary>Parses <paramref name="source"/> (BK-CI placeholders allowed), or says where it is wrong.</summary>
    public static (IFluidTemplate? Template, TemplateSyntaxError? Error) Parse(string source)
    {
        if (TemplateSourceLimits.Check(source) is { } limit)
        {
            return (null, limit);
        }

        var translated = PlaceholderTranslator.Translate(source);
        IReadOnlyList<Statement> statements;
        try
        {
            if (!Parser.Grammar.TryParse(new FluidParseContext(translated.Liquid), out statements, out var error))
            {
                return (null, error is null
                    ? translated.ErrorAt(translated.Liquid.Length, "the template does not parse")
                    : Unclosed(translated, error.Position.Offset, error.Message) ?? translated.ErrorAt(error.Position.Offset, error.Message ?? "the template does not parse"));
            }
        }
        catch (ParseException exception) when (PositionedMessage().Match(exception.Message) is { Success: true } match)
        {
            var message = match.Groups["message"].Value;
            if (UnknownTag().Match(message) is { Success: true } tag && DisallowedTags.Contains(tag.Groups["tag"].Value))
            {
                message = $"the '{tag.Groups["tag"].Value}' tag is not allowed in notification templates";
            }

            return (null, translated.ErrorAt(int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture), message));
        }

        var template = new BoundedRanges().VisitTemplate(new FluidTemplate(statements));
        var filters = new FilterNames();
        filters.VisitTemplate(template);
        var unknown = filters.Names.FirstOrDefault(name => !KnownFilters.Contains(name));
        return unknown is null ? (template, null) : (null, FilterError(source, unknown));
    }

    /// <summary>Renders with the limits; <paramref name="parameters"/> is the only data the template sees.</summary>
    /// <exception cref="RenderLimitExceededException">A limit was hit.</exception>
    public static string Render(IFluidTemplate template, TemplateParameters parameters)
    {
        var context = new NotifyTemplateContext(parameters, parameters.HtmlEscaped ? HtmlOptions : TextOptions);
        using var output = new BoundedWriter(TemplateLimits.MaxRenderedLength);
        try
        {
            var rendering = template.RenderAsync(output, NullEncoder.Default, context);
            if (!rendering.IsCompletedSuccessfully)
            {
                rendering.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (InvalidOperationException exception) when (exception.Message.StartsWith("The maximum level of recursion", StringComparison.Ordinal))
        {
            // Fluid throws the same exception for both of its limits; the step count tells which one it was.
            throw new RenderLimitExceededException(context.StepsExceeded
                ? $"the template ran more than {TemplateLimits.MaxRenderSteps} steps (a loop that runs too long)"
                : $"loops are nested more than {TemplateLimits.MaxBlockNesting} deep");
        }

        return output.ToString();
    }

    private static FluidParser CreateParser()
    {
        var parser = new FluidParser();
        foreach (var tag in DisallowedTags)
        {
            parser.RegisteredTags.Remove(tag);
        }

        parser.RegisterParserTag(PlaceholderTag, Terms.String().Then(static name => name.ToString()), static (name, writer, _, context) =>
        {
            writer.Write(((NotifyTemplateContext)context).Placeholder(name));
            return new ValueTask<Completion>(Completion.Normal);
        });
        parser.RegisterIdentifierBlock("capture", static async (name, statements, _, encoder, context) =>
        {
            using var captured = new BoundedWriter(TemplateLimits.MaxRenderedLength);
            var completion = await statements.RenderStatementsAsync(captured, encoder, context);
            context.SetValue(name, new StringValue(captured.ToString(), encode: false));
            return completion;
        });
        parser.RegisterEmptyBlock("ifchanged", static async (statements, writer, encoder, context) =>
        {
            using var rendered = new BoundedWriter(TemplateLimits.MaxRenderedLength);
            var completion = await statements.RenderStatementsAsync(rendered, encoder, context);
            var text = rendered.ToString();
            if (((NotifyTemplateContext)context).Changed(text))
            {
                await writer.WriteAsync(text);
            }

            return completion;
        });
        return parser;
    }

    private static TemplateOptions CreateOptions(bool htmlEscaped)
    {
        var options = new TemplateOptions
        {
            MaxSteps = TemplateLimits.MaxRenderSteps,
            MaxRecursion = TemplateLimits.MaxBlockNesting,
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
        };
        options.Filters.AddFilter("escape_once", static (input, _, _) => new ValueTask<FluidValue>(new StringValue(EscapeOnce(input.ToStringValue()))));
        // In HTML bodies every parameter value arrives escaped already: an explicit escape must not escape it twice.
        FilterDelegate escape = htmlEscaped
            ? static (input, _, _) => new ValueTask<FluidValue>(new StringValue(EscapeOnce(input.ToStringValue())))
            : static (input, _, _) => new ValueTask<FluidValue>(new StringValue(WebUtility.HtmlEncode(input.ToStringValue())));
        options.Filters.AddFilter("escape", escape);
        options.Filters.AddFilter("h", escape);
        foreach (var (name, filter) in options.Filters.ToArray())
        {
            options.Filters.AddFilter(name, Bounded(name, filter));
        }

        return options;
    }

    private static string EscapeOnce(string input) => WebUtility.HtmlEncode(WebUtility.HtmlDecode(input));

    /// <summary>The filter, stopped when the render is out of time and refused when it builds a string or list past the limits.</summary>
    private static FilterDelegate Bounded(string name, FilterDelegate filter) => (input, arguments, context) =>
    {
        ((NotifyTemplateContext)context).EnsureTimeLeft();
        var result = filter(input, arguments, context);
        return result.IsCompletedSuccessfully ? new ValueTask<FluidValue>(EnsureBounded(name, result.Result)) : Awaited(name, result);

        static async ValueTask<FluidValue> Awaited(string name, ValueTask<FluidValue> pending) => EnsureBounded(name, await pending);
    };

    private static FluidValue EnsureBounded(string filter, FluidValue value) => value switch
    {
        StringValue text when text.ToStringValue().Length > TemplateLimits.MaxRenderedLength =>
            throw new RenderLimitExceededException($"{filter} would build a string of {text.ToStringValue().Length} characters; at most {TemplateLimits.MaxRenderedLength} are allowed"),
        ArrayValue list when list.Values.Count > TemplateLimits.MaxRenderedLength =>
            throw new RenderLimitExceededException($"{filter} would build a list of {list.Values.Count} items; at most {TemplateLimits.MaxRenderedLength} are allowed"),
        _ => value,
    };

    /// <summary>Fluid reports a missing end tag where it gave up; the reader wants the block that was never closed.</summary>
    private static TemplateSyntaxError? Unclosed(TranslatedSource translated, int liquidOffset, string? message)
    {
        if (message is null || EndTagExpected().Match(message) is not { Success: true } match)
        {
            return null;
        }

        var block = match.Groups["block"].Value;
        var opening = LiquidScanner.OpenBlockBefore(translated.Source, block, translated.SourceOffset(liquidOffset));
        if (opening < 0)
        {
            return null;
        }

        var (line, column) = LiquidScanner.LineAndColumn(translated.Source, opening);
        return new TemplateSyntaxError(line, column, $"'{block}' is never closed with '{{% end{block} %}}'");
    }

    /// <summary>Unknown filters pass their input through in Fluid; a typo is better caught when saving, at the tag of its first use.</summary>
    private static TemplateSyntaxError FilterError(string source, string filter)
    {
        var at = Regex.Match(source, $@"\|\s*{Regex.Escape(filter)}\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var (line, column) = LiquidScanner.LineAndColumn(source, at.Success ? LiquidScanner.TagStart(source, at.Index) : 0);
        return new TemplateSyntaxError(line, column, $"unknown filter '{filter}'");
    }

    /// <summary>Replaces every range with one that refuses to build more than <see cref="TemplateLimits.MaxLoopIterations"/> items.</summary>
    private sealed class BoundedRanges : AstRewriter
    {
        protected override Expression VisitRangeExpression(RangeExpression rangeExpression) =>
            new BoundedRangeExpression(Visit(rangeExpression.From), Visit(rangeExpression.To));
    }

    private sealed class BoundedRangeExpression(Expression from, Expression to) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var start = (long)(await from.EvaluateAsync(context)).ToNumberValue();
            var end = (long)(await to.EvaluateAsync(context)).ToNumberValue();
            var count = Math.Max(0, end - start + 1);
            if (count > TemplateLimits.MaxLoopIterations)
            {
                throw new RenderLimitExceededException($"a range of {count} items went past {TemplateLimits.MaxLoopIterations} iterations");
            }

            var items = new FluidValue[count];
            for (var i = 0; i < count; i++)
            {
                items[i] = NumberValue.Create(start + i);
            }

            return new ArrayValue(items);
        }
    }

    private sealed class FilterNames : AstVisitor
    {
        public List<string> Names { get; } = [];

        protected override Expression VisitFilterExpression(FilterExpression filterExpression)
        {
            Names.Add(filterExpression.Name);
            return base.VisitFilterExpression(filterExpression);
        }
    }
}

/// <summary>One render's context: the parameters, the clock, and what <c>ifchanged</c> last printed.</summary>
internal sealed class NotifyTemplateContext(TemplateParameters parameters, TemplateOptions options)
    : TemplateContext(parameters, options, allowModelMembers: false)
{
    private readonly long _deadline = Stopwatch.GetTimestamp() + TemplateLimits.RenderTimeoutMilliseconds * Stopwatch.Frequency / 1000;
    private string? _lastIfChanged;

    public bool StepsExceeded => _steps > MaxSteps;

    /// <summary>A placeholder reads the template's own variables first (as any Liquid name does), then the parameters.</summary>
    public string Placeholder(string name) =>
        GetValue(name) is { } own && !own.IsNil() ? own.ToStringValue() : parameters.Lookup(name)?.ToStringValue() ?? "";

    public bool Changed(string rendered)
    {
        var changed = !string.Equals(_lastIfChanged, rendered, StringComparison.Ordinal);
        _lastIfChanged = rendered;
        return changed;
    }

    public void EnsureTimeLeft()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw new RenderLimitExceededException($"rendering took longer than {TemplateLimits.RenderTimeoutMilliseconds} ms");
        }
    }
}

/// <summary>
/// The parameters of one render as the template's model (looked up in <c>values</c>, then <c>fallback</c>): a name not assigned by the template itself is looked up here, which
/// records it as used (and as missing when absent). HTML bodies get every value HTML-escaped before the template sees it.
/// </summary>
internal sealed class TemplateParameters(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> fallback, bool htmlEscaped) : FluidValue
{
    public bool HtmlEscaped { get; } = htmlEscaped;

    public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

    public StringValue? Lookup(string name)
    {
        Used.Add(name);
        if (values.TryGetValue(name, out var value) || fallback.TryGetValue(name, out value))
        {
            return new StringValue(HtmlEscaped ? WebUtility.HtmlEncode(value) : value, encode: false);
        }

        Missing.Add(name);
        return null;
    }

    public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context) =>
        new(Lookup(name) ?? (FluidValue)NilValue.Instance);

    public override FluidValues Type => FluidValues.Object;

    public override bool Equals(FluidValue other) => ReferenceEquals(this, other);

    public override bool ToBooleanValue() => true;

    public override decimal ToNumberValue() => 0;

    public override string ToStringValue() => "";

    public override object ToObjectValue() => this;

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}

/// <summary>A template tried to build more text than allowed, ran too long or nested too deep.</summary>
public sealed class RenderLimitExceededException(string message) : Exception(message);

/// <summary>A string writer that refuses to grow past a limit.</summary>
internal sealed class BoundedWriter(int maxLength) : StringWriter(CultureInfo.InvariantCulture)
{
    public override void Write(char value)
    {
        Reserve(1);
        base.Write(value);
    }

    public override void Write(string? value)
    {
        Reserve(value?.Length ?? 0);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Reserve(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Reserve(buffer.Length);
        base.Write(buffer);
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    private void Reserve(int count)
    {
        if (GetStringBuilder().Length + count > maxLength)
        {
            throw new RenderLimitExceededException($"the rendered text would exceed {maxLength} characters");
        }
    }
}
