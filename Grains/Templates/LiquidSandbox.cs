using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DotLiquid;
using DotLiquid.Exceptions;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>
/// DotLiquid, fenced in. The team standard is Fluid, but the only Fluid.Core served here (2.41.1) fails at runtime with the only
/// Parlot served (2.2.1: <c>MissingMethodException … Parlot.Fluent.Parsers.ZeroOrOne</c> when constructing <c>FluidParser</c>),
/// so templates use DotLiquid 2.3.260.
/// <para>What DotLiquid offers and is used: a cancellation token as the render time limit (checked between nodes),
/// <c>MaxIterations</c> per <c>for</c> loop and per range, its own nesting guard (StackLevelException),
/// <c>ErrorsOutputMode.Rethrow</c>, and no file system (includes fail). Its regex deadline (<c>Template.RegexTimeOut</c>, 10 s)
/// is left alone: lowering it makes every render many times slower. What it lacks and is added here: a source size limit and a block-nesting limit checked before parsing
/// (<see cref="LiquidSyntaxChecker"/>), a whitelist of tags (no include/extends/block/param/literal), a bounded output writer,
/// and size-checked versions of the filters and the tag that can grow strings or lists without bound (append, prepend,
/// replace, replace_first, join, concat, capture) — each render step is bounded, so doubling in a loop stops at the size limit
/// instead of exhausting memory before the timeout fires.</para>
/// </summary>
internal static class LiquidSandbox
{
    public const SyntaxCompatibility Syntax = SyntaxCompatibility.DotLiquid22a;

    internal const string HtmlEscapedRegister = "notify.html_escaped";

    [ThreadStatic]
    private static ReusableContext? _threadContext;

    static LiquidSandbox()
    {
        // Process-wide: DotLiquid's tag registry is static. Only this feature uses DotLiquid, and the replacement only adds a bound.
        Template.RegisterTag<BoundedCapture>("capture");
    }

    /// <summary>Parses with the sandbox's tags registered; the result may be rendered from several threads.</summary>
    public static Template Parse(string liquidSource)
    {
        var template = Template.Parse(liquidSource, Syntax);
        template.MakeThreadSafe();
        return template;
    }

    /// <summary>
    /// Renders with the sandbox's limits. Parameters are an environment, so the template's own assigns never write into them;
    /// <paramref name="htmlEscaped"/> tells the <c>escape</c> filter that parameter values arrive escaped already.
    /// </summary>
    /// <remarks>
    /// DotLiquid builds a context's filter table by reflection (about a third of a millisecond for the standard filters, a
    /// millisecond more to add ours — far more than rendering), so each thread keeps one context and resets it between renders.
    /// The guarded filters extend each context's own table: registered globally they would race the standard ones, whose
    /// order in DotLiquid's global registry varies from process to process. A render that fails or runs out of time never
    /// hands its context back.
    /// </remarks>
    public static void Render(Template template, Hash variables, bool htmlEscaped, TextWriter output)
    {
        var reusable = _threadContext ?? new ReusableContext();
        _threadContext = null;
        var context = reusable.Context;
        context.Environments.Clear();
        context.Environments.Add(variables);
        context.Scopes.Clear();
        context.Scopes.Add(new Hash());
        context.Registers.Clear();
        context.Registers[HtmlEscapedRegister] = htmlEscaped;
        context.Errors.Clear();
        reusable.Deadline.CancelAfter(TemplateLimits.RenderTimeoutMilliseconds);
        try
        {
            template.Render(output, RenderParameters.FromContext(context, CultureInfo.InvariantCulture));
        }
        catch
        {
            reusable.Deadline.Dispose();
            throw;
        }

        if (reusable.Deadline.TryReset())
        {
            _threadContext = reusable;
        }
        else
        {
            reusable.Deadline.Dispose();
        }
    }

    private sealed class ReusableContext
    {
        public ReusableContext()
        {
            Context = new Context([], new Hash(), new Hash(), ErrorsOutputMode.Rethrow, TemplateLimits.MaxLoopIterations, CultureInfo.InvariantCulture, Deadline.Token)
            {
                SyntaxCompatibilityLevel = Syntax,
            };
            Context.AddFilters(typeof(GuardedFilters));
        }

        public CancellationTokenSource Deadline { get; } = new();

        public Context Context { get; }
    }

    /// <summary>The filter names templates may use (DotLiquid's standard filters, Ruby-style names).</summary>
    public static IReadOnlySet<string> KnownFilters { get; } = typeof(StandardFilters)
        .GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(m => Template.NamingConvention.GetMemberName(m.Name))
        .ToHashSet(StringComparer.Ordinal);

    internal static string EnsureBounded(string value, string what) =>
        value.Length > TemplateLimits.MaxRenderedLength
            ? throw new RenderLimitExceededException($"{what} would build a string of {value.Length} characters; at most {TemplateLimits.MaxRenderedLength} are allowed")
            : value;
}

/// <summary>A template tried to build more text than <see cref="TemplateLimits.MaxRenderedLength"/>.</summary>
public sealed class RenderLimitExceededException(string message) : LiquidException(message);

/// <summary>
/// Standard filters that can grow a value, re-implemented with a size check on what they produce; and <c>escape</c>, which in
/// HTML bodies (where every parameter value arrives escaped already) must not escape twice, so it becomes <c>escape_once</c>.
/// </summary>
public static class GuardedFilters
{
    public static string? Escape(Context context, string? input) =>
        context.Registers[LiquidSandbox.HtmlEscapedRegister] is true ? StandardFilters.EscapeOnce(input) : StandardFilters.Escape(input);

    /// <summary>Liquid's alias of <c>escape</c>.</summary>
    public static string? H(Context context, string? input) => Escape(context, input);

    public static string? Append(string? input, string? @string) =>
        LiquidSandbox.EnsureBounded((input ?? "") + (@string ?? ""), "append");

    public static string? Prepend(string? input, string? @string) =>
        LiquidSandbox.EnsureBounded((@string ?? "") + (input ?? ""), "prepend");

    public static string? Replace(Context context, string? input, string? @string, string? replacement = "") =>
        input is null || string.IsNullOrEmpty(@string) ? input : LiquidSandbox.EnsureBounded(input.Replace(@string, replacement ?? "", StringComparison.Ordinal), "replace");

    public static string? ReplaceFirst(Context context, string? input, string? @string, string? replacement = "")
    {
        if (input is null || string.IsNullOrEmpty(@string))
        {
            return input;
        }

        var at = input.IndexOf(@string, StringComparison.Ordinal);
        return at < 0 ? input : LiquidSandbox.EnsureBounded(string.Concat(input.AsSpan(0, at), replacement ?? "", input.AsSpan(at + @string.Length)), "replace_first");
    }

    public static string? Join(IEnumerable? input, string? glue = " ")
    {
        if (input is null)
        {
            return null;
        }

        var joined = new StringBuilder();
        var first = true;
        foreach (var item in input)
        {
            if (!first)
            {
                joined.Append(glue);
            }

            joined.Append(item);
            first = false;
            if (joined.Length > TemplateLimits.MaxRenderedLength)
            {
                throw new RenderLimitExceededException($"join would build more than {TemplateLimits.MaxRenderedLength} characters");
            }
        }

        return joined.ToString();
    }

    public static IEnumerable? Concat(IEnumerable? left, IEnumerable? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        var items = left.Cast<object?>().Concat(right.Cast<object?>()).Take(TemplateLimits.MaxLoopIterations + 1).ToList();
        return items.Count > TemplateLimits.MaxLoopIterations
            ? throw new RenderLimitExceededException($"concat would build a list of more than {TemplateLimits.MaxLoopIterations} items")
            : items;
    }
}

/// <summary><c>{% capture name %}…{% endcapture %}</c> that stops at <see cref="TemplateLimits.MaxRenderedLength"/> characters.</summary>
public sealed partial class BoundedCapture : DotLiquid.Block
{
    [GeneratedRegex(@"^\s*['""]?([\w\-]+)['""]?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CaptureSyntax();

    private string _to = "";

    public override void Initialize(string tagName, string markup, List<string> tokens)
    {
        var match = CaptureSyntax().Match(markup);
        if (!match.Success)
        {
            throw new SyntaxException("Syntax Error in 'capture' tag - Valid syntax: capture [var]");
        }

        _to = match.Groups[1].Value;
        base.Initialize(tagName, markup, tokens);
    }

    public override void Render(Context context, TextWriter result)
    {
        using var captured = new BoundedWriter(TemplateLimits.MaxRenderedLength);
        RenderAll(NodeList, context, captured);
        context.Scopes.Last()[_to] = captured.ToString();
    }
}

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

    private void Reserve(int count)
    {
        if (GetStringBuilder().Length + count > maxLength)
        {
            throw new RenderLimitExceededException($"the rendered text would exceed {maxLength} characters");
        }
    }
}
