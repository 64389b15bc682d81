using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Templates;

/// <summary>
/// Limits on templates and their rendering, stated once (the validator and the sandbox enforce them, the README lists them).
/// Lengths are UTF-16 characters.
/// </summary>
public static class TemplateLimits
{
    /// <summary>A letter, then letters, digits, '_', '-' or '.'; stored upper-case. Grain keys prefix it with <c>tpl:</c>.</summary>
    public const string CodePattern = "^[A-Za-z][A-Za-z0-9_.\\-]{0,63}$";
    public const int MaxCodeLength = 64;
    public const int MaxNameLength = 128;
    public const int MaxSourceLength = 64;
    public const int MaxRequiredParams = 64;
    public const int MaxParamNameLength = 64;

    /// <summary>Source size of one title.</summary>
    public const int MaxTitleSourceLength = 2_048;

    /// <summary>Source size of one body or markdown body.</summary>
    public const int MaxBodySourceLength = 65_536;

    /// <summary>Liquid blocks (if/for/case/capture…), and brackets in one expression, nested deeper than this are refused when saving.</summary>
    public const int MaxBlockNesting = 16;

    /// <summary>Filters chained in one tag or output; more are refused when saving.</summary>
    public const int MaxFiltersPerExpression = 100;

    /// <summary>Items of one range (<c>(1..n)</c>).</summary>
    public const int MaxLoopIterations = 1_000;

    /// <summary>Statements one render may execute (every loop iteration, output and tag counts): stops loops nested into billions of steps.</summary>
    public const int MaxRenderSteps = 100_000;

    /// <summary>
    /// Wall-clock budget of rendering one title or body. Real templates render in microseconds; the margin covers a cold start
    /// (JIT) on a machine whose cores are busy, which must not turn a good template into a refused send. Checked before every
    /// filter runs (filters are where one step can cost much: each works on up to <see cref="MaxRenderedLength"/> characters).
    /// </summary>
    public const int RenderTimeoutMilliseconds = 2_000;

    /// <summary>
    /// Size of one rendered title or body, and of any string a template builds while rendering: the largest body any channel
    /// takes (e-mail), so an e-mail body — possibly HTML, which must not be cut — never needs truncating.
    /// </summary>
    public const int MaxRenderedLength = NotifyLimits.MaxEmailBodyLength;

    /// <summary>Parameters of one send (title and body parameters together).</summary>
    public const int MaxParams = 256;
    public const int MaxParamValueLength = 65_536;
}
